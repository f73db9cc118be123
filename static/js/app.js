// After htmx swaps in a result, move focus to its error summary or success banner so that
// keyboard and screen-reader users learn what happened (NHS.UK does this on full page loads).
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  const message = target.querySelector(".nhsuk-error-summary, .nhsuk-notification-banner");
  if (message) {
    message.setAttribute("tabindex", "-1");
    message.focus();
  }
});
