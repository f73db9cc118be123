// Content that htmx swaps in is new to NHS.UK's components, so initialise it exactly as a full
// page load does (base.html runs initAll() on the document). That is also what moves focus: the
// error summary focuses itself, and so does a success banner (role="alert"), so keyboard and
// screen-reader users learn what happened. "htmx:afterSettle" fires on each element swapped in
// (event.target, connected to the page); event.detail.target can be the element an outerHTML
// swap has just replaced, which is why focusing through it did nothing.
document.addEventListener("htmx:afterSettle", (event) => {
  const scope = event.target;
  if (!(scope instanceof Element) || !scope.isConnected) {
    return;
  }
  // The same module instance base.html imported (one URL, one module), found by its script tag
  // so that this file needs no hashed static URL.
  const frontend = document.querySelector('script[type="module"][src*="nhsuk-frontend"]');
  if (!frontend) {
    return;
  }
  import(frontend.src).then(({ initAll }) => initAll(scope));
});
