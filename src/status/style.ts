/**
 * The page's one stylesheet, served as /style.css (no CDN: these machines may be offline). Sizes in
 * rem so 200 % zoom reflows instead of overflowing; focus is always visible for keyboard users.
 */
export const STYLESHEET = `
:root { --ink: #1d2733; --muted: #5b6776; --line: #d5dbe3; --bg: #f6f8fa; --card: #fff; --accent: #1f5fae;
  --ok: #1b7f3b; --warn: #a15c00; --bad: #b3261e; font-family: system-ui, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); line-height: 1.45; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 2; }
header { background: #16324f; color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; }
header .brand { font-weight: 700; font-size: 1.1rem; color: #fff; text-decoration: none; }
header nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
header nav a { color: #dbe7f5; text-decoration: none; padding: .25rem 0; }
header nav a[aria-current="page"] { color: #fff; border-bottom: 2px solid #fff; }
header .langs { margin-left: auto; display: flex; gap: .5rem; }
header .langs a { color: #dbe7f5; } header .langs a[aria-current="true"] { color: #fff; font-weight: 700; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; } h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; margin: 0 0 1rem; }
.totals { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; padding: 0; margin: 0 0 1rem; }
.totals li { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .5rem 1rem; min-width: 9rem; }
.totals strong { display: block; font-size: 1.4rem; }
table { border-collapse: collapse; width: 100%; background: var(--card); }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { background: #eef2f6; font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.state-ok { color: var(--ok); } .state-warn { color: var(--warn); } .state-bad { color: var(--bad); }
.notice { border-left: 4px solid var(--ok); background: #eaf6ee; padding: .6rem 1rem; margin: 0 0 1rem; }
.error { border-left: 4px solid var(--bad); background: #fbeceb; padding: .6rem 1rem; margin: 0 0 1rem; }
.warning { border-left: 4px solid var(--warn); background: #fdf3e4; padding: .6rem 1rem; margin: 0 0 1rem; }
form .field { margin: 0 0 .8rem; } label { display: block; font-weight: 600; margin-bottom: .2rem; }
.hint { color: var(--muted); font-size: .9rem; margin: .2rem 0 0; }
input[type=text], input[type=password], input[type=number], input[type=date], input[type=search], select, textarea {
  font: inherit; padding: .4rem .5rem; border: 1px solid #8a96a3; border-radius: .3rem; width: 100%; max-width: 32rem; }
fieldset { border: 1px solid var(--line); border-radius: .4rem; margin: 0 0 1rem; } legend { font-weight: 600; }
.inline label { display: inline; font-weight: normal; margin-right: 1rem; }
button, .button { font: inherit; background: var(--accent); color: #fff; border: 0; border-radius: .3rem; padding: .45rem 1rem; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary { background: #e4e9ef; color: var(--ink); }
code, pre { font-family: ui-monospace, Consolas, monospace; font-size: .9rem; }
pre { background: #0f1b27; color: #e6edf3; padding: .8rem; border-radius: .4rem; overflow-x: auto; white-space: pre-wrap; }
.muted { color: var(--muted); }
@media (max-width: 40rem) { th, td { padding: .3rem; } header .langs { margin-left: 0; } }
/* Dashboard, dossier, connection and log pages. */
.status-line { font-size: 1.1rem; margin: 0 0 1rem; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr)); gap: 0 1rem; }
.table-wrap { max-width: 100%; overflow-x: auto; margin: 0 0 1rem; }
caption { text-align: left; padding: .3rem 0; }
.path { overflow-wrap: anywhere; font-family: ui-monospace, Consolas, monospace; font-size: .9rem; }
.nowrap { white-space: nowrap; }
.facts { display: grid; grid-template-columns: minmax(8rem, max-content) minmax(0, 1fr); gap: .3rem 1rem; margin: 0 0 1rem; }
.facts dt { font-weight: 600; } .facts dd { margin: 0; overflow-wrap: anywhere; }
input[type=time] { font: inherit; padding: .4rem .5rem; border: 1px solid #8a96a3; border-radius: .3rem; }
input.short { max-width: 12rem; }
.check label, .choices > div > label { display: inline; font-weight: normal; }
.check .hint { margin-left: 1.6rem; }
.choices > div { margin: .3rem 0; }
.sub-fields { margin: .3rem 0 .6rem 1.6rem; display: flex; flex-wrap: wrap; gap: 0 1.5rem; }
.row { display: flex; flex-wrap: wrap; gap: 0 1.5rem; }
.inline-checks .check { display: inline-block; margin: 0 1.2rem .3rem 0; }
.field-error { color: var(--bad); font-weight: 600; margin: .2rem 0 0; }
[aria-invalid="true"] { border-color: var(--bad); border-width: 2px; }
.buttons { display: flex; flex-wrap: wrap; gap: .5rem; }
.inline-form { margin: 0 0 1rem; }
pre.preview { white-space: pre-wrap; overflow-wrap: anywhere; }
pre.preview.invalid { background: #fbeceb; color: var(--bad); }
.preview-label { font-weight: 600; margin: .5rem 0 .2rem; }
form.filter { display: flex; flex-wrap: wrap; align-items: flex-end; gap: .5rem 1rem; margin: 0 0 1rem; }
form.filter fieldset { margin: 0; }
details .detail { overflow-wrap: anywhere; }
.card > h2:first-child, .card > form:first-child h2 { margin-top: 0; }
tbody th { background: none; }
.documents th, .documents td { min-width: 5.5rem; overflow-wrap: break-word; }
.documents td.path, .documents td.error-text { min-width: 12rem; overflow-wrap: anywhere; }
.documents td:first-child { white-space: nowrap; }
.table-wrap:focus-visible { outline-offset: 0; }
`;
