// Runs at the top of <body>, before anything renders, so GOV.UK Frontend's JavaScript-only
// styles apply without a flash. Kept in a file (not inline) so the Content Security Policy can
// forbid inline script.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
