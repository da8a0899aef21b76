/// The dashboard's stylesheet: system fonts only, readable from 390 px to 1280 px and wider.
enum DashboardStyleCSS {
    static let text = #"""
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #fff; --soft: #f6f8fa; --accent: #1f4e79;
  --ok: #1a7f37; --ok-bg: #dafbe1; --warn: #7d4e00; --warn-bg: #fff1c2; --bad: #a40e26; --bad-bg: #ffebe9;
  --info: #0a3069; --info-bg: #ddf4ff; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px; z-index: 9; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: 12px 24px; padding: 10px 20px; background: var(--accent); color: #fff; }
.brand { font-weight: 700; font-size: 18px; }
nav { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; }
nav a, nav .link { color: #fff; text-decoration: none; }
nav a:hover, nav a:focus, nav a[aria-current="page"] { text-decoration: underline; }
main { padding: 16px 20px 40px; max-width: 1400px; }
main:focus { outline: none; }
h1 { font-size: 22px; margin: 8px 0 12px; } h2 { font-size: 18px; margin: 20px 0 8px; }
button, .button { font: inherit; padding: 6px 14px; border: 1px solid var(--accent); border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
button.link { background: none; border: none; padding: 0; color: inherit; text-decoration: underline; }
button:disabled { opacity: .6; cursor: wait; }
button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #f0b400; outline-offset: 1px; }
label { display: block; font-weight: 600; margin: 12px 0 4px; }
input[type=text], input[type=password], input[type=number], input[type=search], select, textarea { font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; width: 100%; max-width: 640px; background: #fff; }
textarea { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; min-height: 110px; }
.hint { color: var(--muted); font-size: 13px; margin: 2px 0; }
.field-error { color: var(--bad); font-weight: 600; margin: 4px 0; }
.field-error:empty { display: none; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 16px 0; align-items: center; }
.panel { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; background: var(--soft); }
#flash:empty { display: none; }
#flash { margin: 12px 20px 0; padding: 8px 12px; border-radius: 6px; background: var(--info-bg); color: var(--info); }
#flash.error { background: var(--bad-bg); color: var(--bad); }
.error-box { padding: 8px 12px; border-radius: 6px; background: var(--bad-bg); color: var(--bad); margin: 8px 0; }
.error-box:empty { display: none; }
.alert { padding: 8px 12px; border-radius: 6px; background: var(--warn-bg); color: var(--warn); margin: 8px 0; border-left: 4px solid var(--warn); }
.alert ul { margin: 4px 0 0; padding-left: 20px; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: flex-end; margin: 8px 0; }
.toolbar label { margin: 0 0 2px; font-size: 13px; } .toolbar > div { min-width: 160px; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { padding: 6px 7px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
td[data-column=issuer], td[data-column=domains] { max-width: 170px; overflow-wrap: anywhere; }
th { background: var(--soft); white-space: nowrap; }
th button.sort { background: none; border: none; color: var(--fg); padding: 0; font-weight: 700; }
th button.sort::after { content: " \2195"; color: var(--muted); }
th[aria-sort=ascending] button.sort::after { content: " \2191"; } th[aria-sort=descending] button.sort::after { content: " \2193"; }
tr:last-child td { border-bottom: none; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; word-break: break-all; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 999px; font-size: 13px; font-weight: 600; white-space: normal; }
.badge.ok { background: var(--ok-bg); color: var(--ok); } .badge.warn { background: var(--warn-bg); color: var(--warn); }
.badge.bad { background: var(--bad-bg); color: var(--bad); } .badge.info { background: var(--info-bg); color: var(--info); }
.badge.muted { background: var(--soft); color: var(--muted); }
.deployed-icon { width: 20px; height: 20px; color: var(--ok); vertical-align: middle; }
.tabs { display: flex; flex-wrap: wrap; gap: 4px; border-bottom: 1px solid var(--line); margin: 8px 0 0; }
.tabs [role=tab] { background: #fff; color: var(--accent); border: 1px solid var(--line); border-bottom: none; border-radius: 6px 6px 0 0; }
.tabs [role=tab][aria-selected=true] { background: var(--accent); color: #fff; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
dl.facts dt { font-weight: 600; color: var(--muted); } dl.facts dd { margin: 0; word-break: break-word; }
ol.chain { padding-left: 20px; } ol.chain li { margin: 8px 0; }
.diff-only-left { background: var(--bad-bg); } .diff-only-right { background: var(--ok-bg); } .diff-changed { background: var(--warn-bg); }
.record { display: grid; grid-template-columns: 120px 1fr auto; gap: 4px 12px; align-items: center; margin: 6px 0; }
@media (max-width: 600px) {
  main { padding: 12px 10px 32px; } .top { padding: 8px 10px; }
  dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: 6px; }
  .record { grid-template-columns: 1fr; }
  table.cards thead { display: none; }
  table.cards tr { display: block; border-bottom: 2px solid var(--line); padding: 6px 0; }
  table.cards td, table.cards td[data-column] { display: flex; gap: 8px; border: none; padding: 3px 10px; max-width: none; }
  table.cards td::before { content: attr(data-label); font-weight: 600; min-width: 110px; color: var(--muted); }
  td.num { text-align: left; }
}
"""#
}
