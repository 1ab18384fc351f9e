// Small helpers shared by the voting pages: language, status messages, API calls, element building.
export const app = document.getElementById("voting-app");
export const electionId = app?.dataset.election ?? "";
export const en = (app?.dataset.lang ?? document.documentElement.lang) === "en";
export const t = (fr, english) => (en ? english : fr);

const status = document.getElementById("status");

/** Says something in the live region (read by screen readers); kind "error" styles it as an error. */
export function say(text, kind = "") {
  if (!status) return;
  status.hidden = !text;
  status.textContent = text;
  status.className = `notice ${kind}`;
}

/** Builds an element: h("p", {class: "x"}, "text", child). */
export function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v === true) e.setAttribute(k, "");
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c != null && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

/** Replaces the page's content and moves focus to its first heading (so keyboard and screen-reader users follow). */
export function show(...nodes) {
  app.replaceChildren(...nodes);
  const heading = app.querySelector("h2");
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

/** Calls the election API; throws an Error with the server's message (which names the field) when it refuses. */
export async function api(method, path, { token, body, type = "application/json", headers = {} } = {}) {
  const init = { method, headers: { ...headers }, cache: "no-store" };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = type;
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const r = await fetch(`/api/voting/elections${path}`, init);
  const text = await r.text();
  if (!r.ok) {
    let message = `${r.status}`;
    try {
      const p = JSON.parse(text);
      message = p.detail ?? p.title ?? message;
    } catch {
      /* not JSON */
    }
    const error = new Error(message);
    error.status = r.status;
    throw error;
  }
  if (!text) return null;
  return (r.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : text;
}

/** Offers a text as a file download. */
export function download(name, text, type = "text/plain") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function field(label, input, help) {
  const id = input.id || `f-${Math.random().toString(36).slice(2)}`;
  input.id = id;
  const helpId = help ? `${id}-help` : null;
  if (helpId) input.setAttribute("aria-describedby", helpId);
  return h("p", {}, h("label", { for: id }, label), " ", input, help ? h("small", { id: helpId }, " ", help) : null);
}
