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
