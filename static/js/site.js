// Small enhancements; every page works without this file.
document.addEventListener("change", (event) => {
  const radio = event.target.closest("[data-commune-label]");
  if (!radio) return;
  const input = document.querySelector("[data-commune-query]");
  if (input) input.value = radio.dataset.communeLabel;
});

// A row of chips that scrolls sideways keeps its fade on the right only while
// there is more to see; the chosen chip is scrolled into view.
for (const frame of document.querySelectorAll(".chips-frame")) {
  const row = frame.querySelector(".chips");
  const update = () => {
    const more = row.scrollLeft + row.clientWidth < row.scrollWidth - 4;
    frame.classList.toggle("chips-frame--more", more);
  };
  const active = row.querySelector("[aria-current]");
  if (active && active.offsetLeft + active.offsetWidth > row.clientWidth) {
    row.scrollLeft = active.offsetLeft - 16;
  }
  row.addEventListener("scroll", update, { passive: true });
  window.addEventListener("resize", update);
  update();
}

// "In bài học": prints the lesson as a leaflet (site.css, @media print).
// Screenshots load lazily: all are fetched first, so that none prints blank.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const images = [...document.querySelectorAll("img[loading=lazy]")];
    for (const image of images) image.loading = "eager";
    await Promise.all(images.map((image) => image.decode().catch(() => {})));
    window.print();
  });
}

// "Bài này có giúp bạn không?" is sent without leaving the lesson; the answer
// (or what to correct) takes the form's place. Without this, the form posts.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-feedback]");
  if (!form || !window.fetch) return;
  event.preventDefault();
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    if (!response.ok && response.status !== 400 && response.status !== 429) throw response;
    const section = form.closest(".feedback");
    section.outerHTML = await response.text();
    document.getElementById("y-kien-title")?.focus();
  } catch {
    form.submit();
  }
});

// Offline lessons (courses/offline.py): the service worker keeps the lessons of
// the learner's courses and sends those marked done offline. Each page tells it
// whose session it is, whether to look for new lessons, and the screen's width
// in pixels, to keep the image size this phone shows.
{
  const owner = document.querySelector("[data-offline-owner]");
  const worker = navigator.serviceWorker;
  if (owner && worker) {
    worker.register("/sw.js").then(() => worker.ready).then((registration) => {
      const hello = () => registration.active.postMessage({
        type: "page",
        owner: owner.dataset.offlineOwner,
        sync: Boolean(document.querySelector("[data-offline-sync]")),
        width: Math.round(Math.min(innerWidth, 760) * 0.9 * devicePixelRatio),
      });
      hello();
      addEventListener("online", hello);
    }, () => {});
    worker.addEventListener("message", ({ data }) => {
      const status = document.querySelector("[data-offline-status]");
      if (data.type === "saved" && status) {
        status.textContent = data.text;
      } else if (data.type === "sent") {
        const note = document.createElement("p");
        note.className = "message message--success";
        note.setAttribute("role", "status");
        note.textContent = data.text;
        document.querySelector("main").prepend(note);
      }
    });
  }
}

// The install button of the page on reading offline, where the browser offers it.
addEventListener("beforeinstallprompt", (event) => {
  const button = document.querySelector("[data-install]");
  if (!button) return;
  event.preventDefault();
  button.hidden = false;
  button.onclick = () => {
    button.hidden = true;
    event.prompt();
  };
});
