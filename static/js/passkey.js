// passkey.js runs the WebAuthn ceremony for the staff pages: it asks the server for the
// options, lets the browser create or use a passkey, and posts the result in the page's
// ordinary form. Without it (or without passkey support) the pages say what to use instead.
(function () {
  "use strict";

  function b64urlToBuf(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function bufToB64url(buf) {
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function decodeList(list) {
    return (list || []).map(function (c) {
      return Object.assign({}, c, { id: b64urlToBuf(c.id) });
    });
  }

  function credentialJSON(cred) {
    var r = cred.response, out = {
      id: cred.id,
      rawId: bufToB64url(cred.rawId),
      type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: { clientDataJSON: bufToB64url(r.clientDataJSON) }
    };
    if (r.attestationObject) {
      out.response.attestationObject = bufToB64url(r.attestationObject);
      if (r.getTransports) out.response.transports = r.getTransports();
    } else {
      out.response.authenticatorData = bufToB64url(r.authenticatorData);
      out.response.signature = bufToB64url(r.signature);
      if (r.userHandle) out.response.userHandle = bufToB64url(r.userHandle);
    }
    if (cred.authenticatorAttachment) out.authenticatorAttachment = cred.authenticatorAttachment;
    return JSON.stringify(out);
  }

  function setup(form) {
    var button = form.querySelector("[data-passkey]");
    var status = form.querySelector("[data-passkey-status]");
    if (!button) return;
    if (!window.PublicKeyCredential || !navigator.credentials) {
      status.textContent = form.getAttribute("data-unsupported") || "This browser cannot use passkeys. Use a code instead.";
      return;
    }
    var kind = button.getAttribute("data-passkey");
    button.hidden = false;
    status.textContent = "";
    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = "Waiting for your passkey…";
      var body = new URLSearchParams();
      var csrf = form.querySelector("input[name=csrf]");
      if (csrf) body.set("csrf", csrf.value);
      fetch(form.getAttribute("data-begin"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString()
      }).then(function (resp) {
        if (!resp.ok) throw new Error("server " + resp.status);
        return resp.json();
      }).then(function (opts) {
        var pk = opts.publicKey;
        pk.challenge = b64urlToBuf(pk.challenge);
        if (kind === "register") {
          pk.user.id = b64urlToBuf(pk.user.id);
          pk.excludeCredentials = decodeList(pk.excludeCredentials);
          return navigator.credentials.create({ publicKey: pk });
        }
        pk.allowCredentials = decodeList(pk.allowCredentials);
        return navigator.credentials.get({ publicKey: pk });
      }).then(function (cred) {
        form.querySelector("input[name=credential]").value = credentialJSON(cred);
        form.submit();
      }).catch(function () {
        button.disabled = false;
        status.textContent = form.getAttribute("data-failed") || (kind === "register"
          ? "The passkey was not added. Try again, or use an authenticator app."
          : "The passkey was not used. Try again, or enter a code.");
      });
    });
  }

  var forms = document.querySelectorAll("form.passkey");
  for (var i = 0; i < forms.length; i++) setup(forms[i]);
})();
