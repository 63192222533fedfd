// Count down the time left in a quiz attempt and submit it when time is up.
// The server enforces the limit whatever this script does.
document.addEventListener("DOMContentLoaded", () => {
  const timer = document.querySelector("[data-seconds-left]");
  if (!timer) return;
  const end = Date.now() + Number(timer.dataset.secondsLeft) * 1000;
  const label = timer.dataset.label;
  const tick = () => {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    timer.textContent = `${label}: ${minutes}:${seconds}`;
    if (left === 0) {
      clearInterval(interval);
      const submit = document.querySelector("[data-quiz-submit]");
      if (submit) submit.click();
    }
  };
  const interval = setInterval(tick, 1000);
  tick();
});

// Save the answers as the learner picks them, one save after the other, and
// say so under the form. The server answers an autosave (HX-Request, as htmx
// sends it) with the status alone. Without this script, the form's buttons
// save as they move on.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  const status = document.getElementById("save-status");
  let saving = Promise.resolve();
  form.addEventListener("change", () => {
    const body = new FormData(form);
    saving = saving
      .then(() =>
        fetch(form.dataset.autosave, {
          method: "POST",
          body,
          headers: { "HX-Request": "true" },
          credentials: "same-origin",
        }),
      )
      .then((response) => (response.ok ? response.text() : Promise.reject()))
      .then((html) => {
        status.innerHTML = html;
      })
      .catch(() => {
        status.textContent = form.dataset.saveFailed;
      });
  });
});

// Ordering: add "move up" and "move down" buttons to each step; moving a step
// renumbers the places, which the form sends (without this script the learner
// picks each step's place from its list).
document.addEventListener("DOMContentLoaded", () => {
  const changed = (element) =>
    element.dispatchEvent(new Event("change", { bubbles: true }));
  document.querySelectorAll("[data-order-list]").forEach((list) => {
    const renumber = () => {
      list.querySelectorAll("select").forEach((select, index) => {
        select.value = String(index + 1);
      });
    };
    const move = (step, by) => {
      const target = by < 0 ? step.previousElementSibling : step.nextElementSibling;
      if (!target) return;
      if (by < 0) list.insertBefore(step, target);
      else list.insertBefore(target, step);
      renumber();
      changed(list);
    };
    list.querySelectorAll("li").forEach((step) => {
      const tools = document.createElement("span");
      tools.className = "order-list__move";
      for (const [by, text, label] of [
        [-1, "↑", list.dataset.up || "Up"],
        [1, "↓", list.dataset.down || "Down"],
      ]) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button button--secondary";
        button.textContent = text;
        button.setAttribute("aria-label", label);
        button.addEventListener("click", () => {
          move(step, by);
          button.focus();
        });
        tools.append(button);
      }
      step.append(tools);
      // A place picked from the list moves the step there.
      step.querySelector("select").addEventListener("change", (event) => {
        const steps = [...list.children];
        const to = Number(event.target.value) - 1;
        const from = steps.indexOf(step);
        if (to === from) return;
        steps.splice(from, 1);
        steps.splice(to, 0, step);
        steps.forEach((item) => list.append(item));
        renumber();
      });
    });
  });

  // Hotspot: a tap (or click) on the picture records where, in per cent of the
  // picture, and clears any place chosen from the list; choosing from the list
  // clears the tap.
  document.querySelectorAll("[data-hotspot]").forEach((area) => {
    const image = area.querySelector("img");
    const mark = area.querySelector(".hotspot__mark");
    const field = area.querySelector("[data-hotspot-tap]");
    const fieldset = area.closest("fieldset");
    const help = fieldset.querySelector("[data-hotspot-help]");
    if (help) help.hidden = false;
    const radios = fieldset.querySelectorAll('input[type="radio"]');
    image.addEventListener("click", (event) => {
      if (fieldset.disabled) return;
      const box = image.getBoundingClientRect();
      const x = Math.min(100, Math.max(0, ((event.clientX - box.left) / box.width) * 100));
      const y = Math.min(100, Math.max(0, ((event.clientY - box.top) / box.height) * 100));
      field.value = `${x.toFixed(2)};${y.toFixed(2)}`;
      mark.style.left = `${x}%`;
      mark.style.top = `${y}%`;
      mark.hidden = false;
      radios.forEach((radio) => {
        radio.checked = false;
      });
      changed(field);
    });
    radios.forEach((radio) =>
      radio.addEventListener("change", () => {
        field.value = "";
        mark.hidden = true;
      }),
    );
  });
});
