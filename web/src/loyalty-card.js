// <loyalty-card-code data-card="…"> — keeps the member's code fresh: every 30 seconds it asks the server for a new signed
// code and redraws the QR (an SVG made by the server) and the typed code. A code is valid 90 seconds and only once.
class LoyaltyCardCode extends HTMLElement {
  connectedCallback() {
    if (this.timer) return;
    this.timer = setInterval(() => this.refresh(), 30_000);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.refresh();
    });
  }

  async refresh() {
    try {
      const response = await fetch(`/api/loyalty/cards/${encodeURIComponent(this.dataset.card)}/code`, { cache: "no-store" });
      if (!response.ok) return;
      const code = await response.json();
      const svg = await fetch(`/loyalty/qr.svg?text=${encodeURIComponent(code.code)}`, { cache: "no-store" });
      if (!svg.ok) return;
      const holder = this.querySelector("#member-qr");
      if (holder) holder.innerHTML = await svg.text();
      const typed = this.querySelector("#typed-code");
      if (typed) typed.textContent = code.typed;
      this.dataset.code = code.code;
    } catch {
      // offline: the current code stays until it expires; the next tick tries again
    }
  }

  disconnectedCallback() {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

if (!customElements.get("loyalty-card-code")) customElements.define("loyalty-card-code", LoyaltyCardCode);
