// Progressive enhancement only: every journey works without JavaScript.
import { initAll } from "../govuk/govuk-frontend.min.js";

// GOV.UK Frontend's own messages in the page's language (earlyhelp/js_i18n.py, via base.html).
const i18n = JSON.parse(document.getElementById("app-i18n")?.textContent || "{}");
initAll({
  characterCount: { i18n: i18n.characterCount },
  exitThisPage: { i18n: i18n.exitThisPage },
});

// "Print this page" links are hidden until JavaScript can print.
for (const link of document.querySelectorAll("[data-print]")) {
  link.closest("[hidden]")?.removeAttribute("hidden");
  link.addEventListener("click", (event) => {
    event.preventDefault();
    window.print();
  });
}
