// The dashboard's "인쇄" button: shown only when this script runs (without it, the browser's
// own print command prints the same page), and prints through the print stylesheet.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

// On paper, the tables folded away on screen (a project's 분기별 수치 표) print open.
window.addEventListener("beforeprint", () => {
  document.querySelectorAll("details[data-print-open]:not([open])").forEach((details) => {
    details.open = true;
    window.addEventListener("afterprint", () => { details.open = false; }, { once: true });
  });
});
