// Site-wide progressive enhancement. Pages work without JavaScript.
// Charts load their own module (/dist/charts.js) from the Chart component, only on pages that have one.
document.documentElement.classList.add("js");
