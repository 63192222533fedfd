// Share or copy a verification link; without this file the link is still shown.
(() => {
  const buttons = document.querySelectorAll("[data-share-url]");
  const canShare = typeof navigator.share === "function";
  const canCopy = Boolean(navigator.clipboard && window.isSecureContext);
  if (!canShare && !canCopy) return;
  buttons.forEach((button) => {
    button.textContent = canShare ? button.dataset.shareLabel : button.dataset.copyLabel;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const url = button.dataset.shareUrl;
      try {
        if (canShare) {
          await navigator.share({ title: button.dataset.shareTitle, url });
        } else {
          await navigator.clipboard.writeText(url);
          button.textContent = button.dataset.copiedLabel;
        }
      } catch (error) {
        // Closing the share sheet is not an error worth showing.
      }
    });
  });
})();
