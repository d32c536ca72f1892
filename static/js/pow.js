// Proof of work for anonymous speak-up forms (innovo_compliance/abuse.py,
// docs/decisions/0004-abuse-controls-without-tracking.md).
//
// The server signs a challenge: a salt, and the SHA-256 of salt + a secret number
// between 0 and max. This script finds the number by trying 0, 1, 2, ... and puts
// it in the form's pow_solution field. It runs on the page itself (no worker, no
// blob:, no WebAssembly), so the Content-Security-Policy stays script-src 'self';
// it works in plain-HTTP pages too (no crypto.subtle). Without JavaScript the field
// stays empty and the server uses its separately limited no-JavaScript lane.
(function () {
  "use strict";
  if (window.innovoPow) return;

  const K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);
  const H0 = new Int32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const W = new Int32Array(64);
  const bytes = new Uint8Array(64);

  // SHA-256 of a short ASCII text (at most 55 bytes: one block), as 8 words.
  function sha256Words(text, out) {
    const n = text.length;
    bytes.fill(0);
    for (let i = 0; i < n; i++) bytes[i] = text.charCodeAt(i);
    bytes[n] = 0x80;
    for (let i = 0; i < 14; i++) {
      W[i] = (bytes[4 * i] << 24) | (bytes[4 * i + 1] << 16) | (bytes[4 * i + 2] << 8) | bytes[4 * i + 3];
    }
    W[14] = 0;
    W[15] = n * 8;
    for (let i = 16; i < 64; i++) {
      const a = W[i - 15], b = W[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    let a = H0[0], b = H0[1], c = H0[2], d = H0[3], e = H0[4], f = H0[5], g = H0[6], h = H0[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    out[0] = (H0[0] + a) | 0; out[1] = (H0[1] + b) | 0; out[2] = (H0[2] + c) | 0; out[3] = (H0[3] + d) | 0;
    out[4] = (H0[4] + e) | 0; out[5] = (H0[5] + f) | 0; out[6] = (H0[6] + g) | 0; out[7] = (H0[7] + h) | 0;
  }

  function hexToWords(hex) {
    const words = new Int32Array(8);
    for (let i = 0; i < 8; i++) words[i] = parseInt(hex.slice(8 * i, 8 * i + 8), 16) | 0;
    return words;
  }

  function sha256Hex(text) {
    const out = new Int32Array(8);
    sha256Words(text, out);
    return Array.from(out, (w) => (w >>> 0).toString(16).padStart(8, "0")).join("");
  }

  // Try numbers from `start` for about `budgetMs`; the number, or -1 to go on later.
  function search(salt, target, start, max, budgetMs, state) {
    const out = new Int32Array(8);
    const until = performance.now() + budgetMs;
    let n = start;
    while (n <= max) {
      for (let i = 0; i < 2000 && n <= max; i++, n++) {
        sha256Words(salt + n, out);
        if (out[0] === target[0] && out[1] === target[1] && out[2] === target[2] && out[3] === target[3] &&
            out[4] === target[4] && out[5] === target[5] && out[6] === target[6] && out[7] === target[7]) {
          return n;
        }
      }
      if (performance.now() > until) break;
    }
    state.next = n;
    return n > max ? -2 : -1;
  }

  function solve(box) {
    const form = box.closest("form");
    const field = box.querySelector("input[name=pow_solution]");
    const status = box.querySelector("[data-pow-status]");
    const salt = box.dataset.powSalt;
    const target = hexToWords(box.dataset.powTarget);
    const max = parseInt(box.dataset.powMax, 10);
    const state = { next: 0, done: false, waiting: false, started: performance.now() };
    const say = (text) => { if (status) status.textContent = text; };

    function step() {
      const found = search(salt, target, state.next, max, 40, state);
      if (found >= 0) {
        field.value = String(found);
        state.done = true;
        box.dataset.powSolved = "true";
        box.dataset.powMs = String(Math.round(performance.now() - state.started));
        say("Anti-abuse check done: you can send.");
        if (state.waiting) {
          state.waiting = false;
          form.requestSubmit ? form.requestSubmit() : form.submit();
        }
      } else if (found === -2) {
        say("The anti-abuse check could not finish; your report will go through the lane for browsers without JavaScript.");
        state.done = true;
      } else {
        if (state.waiting) say("Finishing a short anti-abuse check before sending (" + Math.min(99, Math.round(100 * state.next / max)) + "%)…");
        setTimeout(step, 0);
      }
    }

    // A named report (a logged-in employee who did not tick "anonymously") needs no check.
    const anonymous = form.querySelector("input[name=anonymous]");
    form.addEventListener("submit", function (event) {
      if (state.done || (anonymous && !anonymous.disabled && !anonymous.checked)) return;
      event.preventDefault();
      state.waiting = true;
      say("Finishing a short anti-abuse check before sending…");
    });
    say("Running a short anti-abuse check in this browser (nothing about you is sent or kept)…");
    setTimeout(step, 0);
  }

  window.innovoPow = { sha256Hex: sha256Hex };
  function start() {
    document.querySelectorAll("[data-pow]").forEach(solve);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
