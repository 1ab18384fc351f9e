// The voting booth: sign in, enter the credential, choose (one step per question, with a way back), review, then the
// ballot is encrypted and proved HERE, in the browser, and cast in one request. The server never sees the choice.
import { encryptBallot, isWellFormedCredential, trackingNumber } from "./voting/index.js";
import { api, download, electionId, field, h, say, show, t } from "./voting/ui.js";

const sessionKey = `socle-vote-${electionId}`;
let view; // the election as the API describes it
let election; // election.json (the questions as encrypted)
let session = JSON.parse(sessionStorage.getItem(sessionKey) ?? "null");
let credential = "";
let choices = []; // per question: Set of selected slot indexes (blank = "blank")

async function start() {
  try {
    view = await api("GET", `/${electionId}`);
  } catch (e) {
    say(e.message, "error");
    return;
  }
  if (!view.acceptingBallots) {
    show(h("h2", {}, t("Le vote n'est pas ouvert", "Voting is not open")), h("p", {}, t("Consultez la page publique de l'élection pour les horaires.", "See the election's public page for the times.")));
    return;
  }
  election = JSON.parse(view.electionJson);
  choices = election.questions.map(() => new Set());
  if (session && new Date(session.expiresAt) > new Date()) askCredential();
  else signIn();
}

function signIn() {
  const voter = h("input", { name: "voter", autocomplete: "username", required: true });
  const secret = h("input", { name: "secret", type: "password", autocomplete: "one-time-code", required: true });
  const byCode = view.definition.voterAuthentication === "code";
  const sendCode = byCode
    ? h("button", { type: "button", onclick: async () => {
        try {
          await api("POST", `/${electionId}/login/code`, { body: { voterId: voter.value.trim() } });
          say(t("Si cet identifiant est inscrit, un code vient d'être envoyé à son adresse.", "If this id is registered, a code has just been sent to its address."));
          secret.focus();
        } catch (e) {
          say(e.message, "error");
        }
      } }, t("Recevoir un code par e-mail", "Get a code by e-mail"))
    : null;
  const form = h("form", { onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        session = await api("POST", `/${electionId}/login`, { body: { voterId: voter.value.trim(), secret: secret.value.trim() } });
        sessionStorage.setItem(sessionKey, JSON.stringify(session));
        say("");
        askCredential();
      } catch (e) {
        say(e.message, "error");
      }
    } },
    field(t("Identifiant d'électeur", "Voter id"), voter),
    sendCode,
    field(byCode ? t("Code reçu", "Code received") : t("Mot de passe", "Password"), secret),
    h("button", { type: "submit" }, t("Se connecter", "Sign in")));
  show(h("h2", {}, t("Connexion", "Sign in")), form);
}

function askCredential() {
  const input = h("input", { name: "credential", autocomplete: "off", spellcheck: "false", required: true, pattern: "[1-9A-HJ-NP-Za-km-z]{5}-[1-9A-HJ-NP-Za-km-z]{6}-[1-9A-HJ-NP-Za-km-z]{5}-[1-9A-HJ-NP-Za-km-z]{6}" });
  const form = h("form", { onsubmit: (ev) => {
      ev.preventDefault();
      const c = input.value.trim();
      if (!isWellFormedCredential(c)) {
        say(t("Le code de vote a la forme XXXXX-XXXXXX-XXXXX-XXXXXX (lettres et chiffres, sans 0, O, I ni l).", "The credential looks like XXXXX-XXXXXX-XXXXX-XXXXXX (letters and digits, no 0, O, I or l)."), "error");
        input.focus();
        return;
      }
      credential = c;
      say("");
      question(0);
    } },
    field(t("Code de vote (reçu par courrier ou e-mail)", "Voting credential (received by post or e-mail)"), input,
      t("Il signe votre bulletin ; il ne quitte pas votre navigateur.", "It signs your ballot; it never leaves your browser.")),
    h("button", { type: "submit" }, t("Continuer", "Continue")));
  show(h("h2", {}, t("Votre code de vote", "Your voting credential")), form);
}

function question(i) {
  const q = election.questions[i];
  const selected = choices[i];
  const single = q.max === 1 && !q.blank;
  const inputs = q.answers.map((a, j) => {
    const id = `q${i}a${j}`;
    const input = h("input", { type: single ? "radio" : "checkbox", name: `q${i}`, id, value: String(j), checked: selected.has(j) });
    return h("p", { class: "choice" }, input, " ", h("label", { for: id }, a));
  });
  const blankId = `q${i}blank`;
  const blank = q.blank ? h("p", { class: "choice" }, h("input", { type: "checkbox", id: blankId, name: `q${i}`, value: "blank", checked: selected.has("blank") }), " ", h("label", { for: blankId }, t("Vote blanc", "Blank vote"))) : null;
  const rule = q.blank
    ? t(`Choisissez entre ${q.min} et ${q.max} réponse(s), ou votez blanc.`, `Choose ${q.min} to ${q.max} answer(s), or vote blank.`)
    : t(`Choisissez entre ${q.min} et ${q.max} réponse(s).`, `Choose ${q.min} to ${q.max} answer(s).`);
  const form = h("form", { onsubmit: (ev) => {
      ev.preventDefault();
      const set = new Set([...form.querySelectorAll("input:checked")].map((x) => (x.value === "blank" ? "blank" : Number(x.value))));
      const count = [...set].filter((x) => x !== "blank").length;
      if (set.has("blank") && count > 0) return say(t("Un vote blanc ne sélectionne aucune réponse.", "A blank vote selects no answer."), "error");
      if (!set.has("blank") && (count < q.min || count > q.max)) return say(rule, "error");
      choices[i] = set;
      say("");
      if (i + 1 < election.questions.length) question(i + 1);
      else review();
    } },
    h("fieldset", {}, h("legend", {}, q.question), h("p", { id: `q${i}-rule` }, rule), blank, inputs),
    i > 0 ? h("button", { type: "button", onclick: () => question(i - 1) }, t("Question précédente", "Previous question")) : null, " ",
    h("button", { type: "submit" }, t("Suivant", "Next")));
  show(h("h2", {}, t(`Question ${i + 1} sur ${election.questions.length}`, `Question ${i + 1} of ${election.questions.length}`)), form);
}

function plaintext() {
  return election.questions.map((q, i) => {
    const set = choices[i];
    const slots = q.answers.map((_, j) => (set.has(j) ? 1 : 0));
    return q.blank ? [set.has("blank") ? 1 : 0, ...slots] : slots;
  });
}

function review() {
  const items = election.questions.map((q, i) => {
    const set = choices[i];
    const picked = set.has("blank") ? [t("Vote blanc", "Blank vote")] : q.answers.filter((_, j) => set.has(j));
    return h("li", {}, h("strong", {}, q.question), " : ", picked.join(", ") || t("aucune réponse", "no answer"), " ",
      h("button", { type: "button", onclick: () => question(i) }, t("Modifier", "Change")));
  });
  const cast = h("button", { type: "button", onclick: () => encryptAndCast(cast) }, t("Chiffrer et déposer mon bulletin", "Encrypt and cast my ballot"));
  show(h("h2", {}, t("Vérifiez vos choix", "Check your choices")), h("ul", {}, items), cast);
}

async function encryptAndCast(button) {
  button.disabled = true;
  say(t("Chiffrement de votre bulletin dans ce navigateur…", "Encrypting your ballot in this browser…"));
  await new Promise((r) => setTimeout(r, 30)); // let the message show before the computation
  let ballot;
  const started = performance.now();
  try {
    ballot = encryptBallot(view.electionJson, credential, plaintext());
  } catch (e) {
    button.disabled = false;
    say(e.message, "error");
    return;
  }
  const ms = Math.round(performance.now() - started);
  document.body.dataset.encryptMs = String(ms);
  // The same key on a retry: a lost answer never makes a second ballot.
  const key = sessionStorage.getItem(`${sessionKey}-key-${trackingNumber(ballot)}`) ?? crypto.randomUUID();
  sessionStorage.setItem(`${sessionKey}-key-${trackingNumber(ballot)}`, key);
  try {
    const receipt = await api("POST", `/${electionId}/ballots`, { token: session.token, body: ballot, headers: { "Idempotency-Key": key } });
    credential = "";
    say("");
    showReceipt(receipt, ms);
  } catch (e) {
    button.disabled = false;
    say(e.message, "error");
  }
}

function showReceipt(r, ms) {
  const text = `${view.definition.name}\n${t("Élection", "Election")} ${r.electionId}\n${t("Numéro de suivi", "Tracking number")}: ${r.trackingNumber}\n${t("Déposé le", "Cast at")} ${r.castAt}\n${t("Empreinte de l'élection", "Election fingerprint")}: ${r.fingerprint}\n`;
  show(
    h("h2", {}, t("Votre bulletin est dans l'urne", "Your ballot is in the ballot box")),
    h("p", {}, t("Numéro de suivi : ", "Tracking number: "), h("code", { id: "tracking-number" }, r.trackingNumber)),
    r.replaced ? h("p", {}, t("Ce bulletin remplace le précédent : seul le dernier compte.", "This ballot replaces your previous one: only the last counts.")) : null,
    h("p", {}, t(`Chiffré dans votre navigateur en ${ms} ms.`, `Encrypted in your browser in ${ms} ms.`)),
    h("p", {}, h("button", { type: "button", onclick: () => download(`receipt-${r.electionId}.txt`, text) }, t("Télécharger le reçu", "Download the receipt")), " ",
      h("a", { href: `/voting/elections/${r.electionId}#box` }, t("Le retrouver dans l'urne", "Find it in the ballot box"))));
}

start();
