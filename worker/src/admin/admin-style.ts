/** The CMS admin pages' one stylesheet (适老化: large type, large targets, a visible focus ring). */
export const ADMIN_STYLE = `
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;margin:0;color:#1a1a1a;line-height:1.7;font-size:18px;background:#fff}
.top{background:#b3121b;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
.top a{color:#fff}.top nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0;flex-wrap:wrap}
.top a[aria-current=page]{font-weight:bold;text-decoration-thickness:3px}.top .logout{margin-left:auto}
main{max-width:72rem;margin:0 auto;padding:1rem}main:focus{outline:none}
label{display:flex;flex-direction:column;gap:.2rem;margin:.6rem 0}
input,button,select,textarea{font:inherit;padding:.5rem .7rem;border:2px solid #555;border-radius:4px;min-height:2.75rem;box-sizing:border-box}
textarea{min-height:5rem;width:100%}input[type=text],input[type=url],input:not([type]),select{max-width:100%}
button{background:#b3121b;color:#fff;border-color:#8a0d14;cursor:pointer}button.secondary{background:#fff;color:#1a1a1a;border-color:#555}
button[disabled]{opacity:.55;cursor:not-allowed}
:focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.5rem;text-align:left;vertical-align:top}caption{text-align:left;font-weight:bold;padding:.4rem 0}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:.5rem;background:#fff;color:#000;padding:.3rem .6rem;z-index:2}
.err{background:#fdecea;border-left:4px solid #b3121b;padding:.6rem 1rem}.ok{background:#e8f5e9;border-left:4px solid #1b5e20;padding:.6rem 1rem}
.warn{background:#fff8e1;border-left:4px solid #8a6d00;padding:.6rem 1rem}
.meta{color:#444;font-size:.95rem}a{color:#0b4f9c}
.filters{display:flex;gap:1rem;flex-wrap:wrap;align-items:flex-end}.filters label{margin:0}
.pager{display:flex;gap:1rem;align-items:center;margin:1rem 0}
.field{margin:1rem 0}.field>label,.field>.label{font-weight:bold;display:block;margin:0 0 .2rem}.field .hint{color:#444;font-size:.95rem;margin:.2rem 0}
.field input:not([type=checkbox]),.field select{width:100%}.req{color:#b3121b;font-weight:normal}
.choices{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem}.choice{font-weight:normal;min-height:44px;display:inline-flex;align-items:center;gap:.3rem}.group{border-left:4px solid #d0d7e2;padding-left:1rem}
.field-error{color:#b3121b;font-weight:bold;margin:.2rem 0}[aria-invalid=true]{border-color:#b3121b;background:#fff6f6}
.toolbar{display:flex;gap:.4rem;flex-wrap:wrap;padding:.4rem;border:2px solid #555;border-bottom:0;border-radius:4px 4px 0 0;background:#f3f3f3}
.toolbar button{background:#fff;color:#1a1a1a;border-color:#777;min-width:2.75rem}
.richtext{min-height:16rem;border:2px solid #555;border-radius:0 0 4px 4px;padding:.6rem 1rem;overflow:auto}
.richtext img{max-width:100%}.panel{border:2px dashed #777;padding:.6rem 1rem;margin:.4rem 0}
.actions{display:flex;gap:1rem;flex-wrap:wrap;align-items:flex-end;margin:1rem 0}
.step{border:1px solid #ccc;border-radius:4px;padding:.6rem 1rem;margin:.6rem 0}
progress{width:100%;height:1.2rem}
ins{background:#e6ffec;text-decoration:none}del{background:#ffebe9}ins::before{content:"＋ "}del::before{content:"－ "}
.diff{list-style:none;padding:0;font-family:inherit}.diff li{padding:.1rem .4rem;white-space:pre-wrap}
.state{display:inline-block;padding:0 .4rem;border:1px solid #555;border-radius:3px;font-size:.95rem}
svg.chart{max-width:720px;height:auto}
.legend span{display:inline-block;width:1em;height:1em;vertical-align:-.1em;margin:0 .3em 0 1em}.legend .searches{background:#0b4f9c}.legend .zero{background:#a33f00}
form.add{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end}form.inline{display:inline}td a{display:inline-block;min-height:44px;line-height:44px}
details{margin:.6rem 0}summary{cursor:pointer;min-height:44px;line-height:44px}
h2{border-bottom:2px solid #b3121b;padding-bottom:.2rem;margin-top:2rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.template-grid{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem}
.template-card{border:1px solid #aaa;border-radius:6px;padding:.6rem}.template-card label{margin:0 0 .4rem}
.template-card img,.template-card .noimg,.template-current img,.template-current .noimg{width:100%;max-width:20rem;height:auto;aspect-ratio:16/10;object-fit:cover;object-position:top;background:#f2f2f2;display:flex;align-items:center;justify-content:center;color:#444;border:1px solid #ccc}
.template-current{display:flex;gap:1rem;align-items:flex-start;flex-wrap:wrap}.template-current img,.template-current .noimg{max-width:16rem}
.field input[type=radio]{width:auto;min-height:auto}.policy-picker .search-row{display:flex;gap:.6rem;align-items:flex-end;flex-wrap:wrap}.policy-picker .search-row label{margin:0;flex:1 1 20rem}.policy-picker .choices{flex-direction:column;list-style:none;padding:0}
`;
