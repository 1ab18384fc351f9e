// Batteries pages: buttons marked data-print print the page (the CSP forbids inline handlers).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
