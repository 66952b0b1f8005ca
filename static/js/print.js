// The dashboard's "인쇄" button: shown only when this script runs (without it, the browser's
// own print command prints the same page), and prints through the print stylesheet.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
