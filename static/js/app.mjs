// Progressive enhancement only: every journey works without JavaScript.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// "Print this page" links are hidden until JavaScript can print.
for (const link of document.querySelectorAll("[data-print]")) {
  link.closest("[hidden]")?.removeAttribute("hidden");
  link.addEventListener("click", (event) => {
    event.preventDefault();
    window.print();
  });
}
