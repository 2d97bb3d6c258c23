/* The enrollment progress page: per village sums from GET /enrollment/progress, and a village's unpaid
   households from GET /enrollment/unpaid. The program comes from the address: /enrollment/page?program=<id>. */
"use strict";

(() => {
  const problem = document.getElementById("problem");
  const table = document.getElementById("villages");
  const unpaid = document.getElementById("unpaid");
  const program = new URLSearchParams(location.search).get("program") || "";

  function cell(tag, text) {
    return Object.assign(document.createElement(tag), { textContent: String(text) });
  }

  async function showUnpaid(village) {
    try {
      const query = new URLSearchParams({ program_id: program, village_code: village.village_code });
      const households = await Anju.api("GET", `/enrollment/unpaid?${query}`);
      document.getElementById("unpaid-title").textContent = `${village.village_name} 未缴费住户（${households.length} 户）`;
      unpaid.querySelector("tbody").replaceChildren(
        ...households.map((h) => {
          const row = document.createElement("tr");
          row.append(
            cell("td", h.household_no || ""),
            cell("td", h.head_name),
            cell("td", h.phone),
            cell("td", h.address),
            cell("td", h.policy_number || "未参保"),
            cell("td", Anju.fenToYuan(h.owed_fen))
          );
          return row;
        })
      );
      unpaid.hidden = false;
      Anju.showProblem(problem, null);
    } catch (err) {
      Anju.showProblem(problem, err);
    }
  }

  function draw(progress) {
    const sum = (key) => progress.villages.reduce((total, v) => total + v[key], 0);
    document.getElementById("summary").textContent =
      `${progress.program_code} · 登记 ${sum("households")} 户 · 参保 ${sum("enrolled")} 户 · ` +
      `已缴费 ${sum("paid")} 户 · 已收 ${Anju.fenToYuan(sum("premium_collected_fen"))} 元`;
    table.tBodies[0].replaceChildren(
      ...progress.villages.map((v) => {
        const row = document.createElement("tr");
        const name = cell("td", "");
        const link = Object.assign(document.createElement("a"), { href: "#unpaid", textContent: v.village_name });
        link.addEventListener("click", () => showUnpaid(v));
        name.append(link);
        row.append(
          name,
          cell("td", v.households),
          cell("td", v.enrolled),
          cell("td", v.paid),
          cell("td", Anju.fenToYuan(v.premium_collected_fen)),
          cell("td", Anju.fenToYuan(v.premium_due_fen))
        );
        return row;
      })
    );
    table.hidden = false;
  }

  (async () => {
    try {
      draw(await Anju.api("GET", `/enrollment/progress?${new URLSearchParams({ program_id: program })}`));
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err);
    }
  })();
})();
