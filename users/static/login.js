/* The login page: POST /auth/login sets the anju_token cookie, then back to where the person was going. */
"use strict";

(() => {
  const form = document.getElementById("login-form");
  const problem = document.getElementById("problem");
  const next = new URLSearchParams(location.search).get("next");
  // Only a path on this site, never an address elsewhere.
  const target = next && next.startsWith("/") && !next.startsWith("//") ? next : "/claim";

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      await Anju.api("POST", "/auth/login", {
        json: { username: form.username.value.trim(), password: form.password.value },
      });
      location.assign(target);
    } catch (err) {
      Anju.showProblem(problem, err, { username: "用户名", password: "密码" });
      button.disabled = false;
    }
  });
})();
