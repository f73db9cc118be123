// The timeout warning (templates/components/timeout_warning.html, docs/decisions/sessions.md).
//
// The server ends an idle session on its own (planning.middleware.IdleTimeoutMiddleware); this
// only warns first, as NHS.UK services do: a modal dialog before the end with "Stay signed in"
// and "Sign out". Before warning, and again when time is up, it asks the server how long is
// left, because the person may have been busy in another tab.
(() => {
  const dialog = document.getElementById("app-timeout");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  const warning = Number(dialog.dataset.warning);
  const statusUrl = dialog.dataset.statusUrl;
  const keepAliveUrl = dialog.dataset.keepAliveUrl;
  const countdown = dialog.querySelector(".app-timeout__countdown");
  const announce = dialog.querySelector(".app-timeout__announce");
  const stay = dialog.querySelector(".app-timeout__stay");
  const csrfToken = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;

  let deadline = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
  let asking = false;
  let returnFocusTo = null;
  let lastAnnounced = "";

  const secondsLeft = () => Math.ceil((deadline - Date.now()) / 1000);

  function timeText(seconds) {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    const s = Math.max(seconds, 0);
    return `${s} second${s === 1 ? "" : "s"}`;
  }

  // What a screen reader hears: whole minutes, then every 15 seconds in the last minute.
  function announcement(seconds) {
    if (seconds >= 60) {
      return timeText(seconds);
    }
    return timeText(Math.ceil(seconds / 15) * 15);
  }

  function setDeadline(seconds) {
    deadline = Date.now() + seconds * 1000;
  }

  function goToSignIn() {
    // The server has ended the session: asking for this page again lands on the sign-in page,
    // with its message, and returns here after signing in. Without the #fragment, or the
    // browser would only scroll instead of asking again.
    window.location.assign(window.location.pathname + window.location.search);
  }

  async function ask(url, method) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
    });
    if (response.status === 401) {
      return { signed_in: false };
    }
    if (!response.ok) {
      throw new Error(`${url}: ${response.status}`);
    }
    return response.json();
  }

  function open() {
    if (dialog.open) {
      return;
    }
    returnFocusTo = document.activeElement;
    lastAnnounced = "";
    update();
    dialog.showModal(); // focus moves to "Stay signed in"; the page behind is inert
  }

  function close() {
    if (!dialog.open) {
      return;
    }
    dialog.close();
    if (returnFocusTo && document.contains(returnFocusTo)) {
      returnFocusTo.focus();
    }
  }

  function update() {
    const seconds = secondsLeft();
    countdown.textContent = timeText(seconds);
    const said = announcement(seconds);
    if (dialog.open && said !== lastAnnounced) {
      announce.textContent = `You'll be signed out in ${said}.`;
      lastAnnounced = said;
    }
  }

  async function check() {
    asking = true;
    try {
      const state = await ask(statusUrl, "GET");
      if (!state.signed_in) {
        goToSignIn();
        return;
      }
      setDeadline(state.seconds_left);
      if (state.seconds_left > warning) {
        close(); // used in another tab meanwhile
      } else if (state.seconds_left > 0) {
        open();
      }
    } catch {
      // Offline or a server error: warn anyway; the server decides in the end.
      open();
    } finally {
      asking = false;
    }
  }

  async function staySignedIn() {
    try {
      const state = await ask(keepAliveUrl, "POST");
      if (!state.signed_in) {
        goToSignIn();
        return;
      }
      setDeadline(state.seconds_left);
      close();
    } catch {
      goToSignIn();
    }
  }

  stay.addEventListener("click", staySignedIn);
  // Escape closes a dialog; here it means "Stay signed in", as closing the warning does on NHS.UK.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  // A request made without leaving the page (htmx) also counts as activity on the server. The
  // server records activity at most once a minute, so assume a minute less; check() corrects it.
  document.addEventListener("htmx:afterRequest", () => {
    if (!dialog.open) {
      setDeadline(Number(dialog.dataset.timeout) - 60);
    }
  });

  // A one-second tick rather than one long timer: browsers delay timers in background tabs and
  // while a laptop sleeps, and the clock is what counts.
  window.setInterval(() => {
    if (asking) {
      return;
    }
    const seconds = secondsLeft();
    if (dialog.open) {
      update();
    }
    // One second late, so the server has certainly ended the session when asked.
    if (seconds <= -1 || (!dialog.open && seconds <= warning)) {
      check();
    }
  }, 1000);
})();
