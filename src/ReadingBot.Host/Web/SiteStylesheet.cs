namespace ReadingBot.Host.Web;

/// <summary>
/// The site's one stylesheet, served from <see cref="Html.StylesheetPath"/> (the CSP allows no inline style): system
/// fonts only, one column on a phone and two on a wide screen, a dark variant through <c>prefers-color-scheme</c>,
/// colour pairs that meet WCAG AA (4.5:1 for text), and a visible focus ring. The charts' SVG takes its colours from
/// these classes, so it follows the scheme too.
/// </summary>
public static class SiteStylesheet
{
    public const string Css = """
        :root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--card:#f6f8fa;--border:#d1d9e0;--link:#0969da;--head:#24292f;--head-fg:#fff;--bar:#0969da;--trend:#bc4c00;--kept:#1a7f37;--frozen:#54aeff;--missed:#cf222e;--none:#d1d9e0;--focus:#bf3989;color-scheme:light dark}
        @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--card:#161b22;--border:#3d444d;--link:#58a6ff;--head:#010409;--head-fg:#f0f6fc;--bar:#4493f8;--trend:#f0883e;--kept:#3fb950;--frozen:#79c0ff;--missed:#f85149;--none:#2f353d;--focus:#ff80c8}}
        *{box-sizing:border-box}
        body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--fg);background:var(--bg)}
        a{color:var(--link);overflow-wrap:anywhere}
        :focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:2px}
        .skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem}
        .skip:focus{left:.5rem}
        header{background:var(--head);color:var(--head-fg);padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;align-items:baseline}
        .brand{margin:0;font-weight:700}
        header nav a{color:var(--head-fg);margin-right:1rem;text-decoration:none}
        header nav a:hover,header nav a:focus-visible{text-decoration:underline}
        main{max-width:72rem;margin:0 auto;padding:1rem}
        main:focus{outline:none}
        h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:0 0 .5rem}h3{font-size:1.05rem;margin:.75rem 0 .25rem}
        section,nav.card{margin:0 0 1rem}
        .card{background:var(--card);border:1px solid var(--border);border-radius:8px;padding:1rem;min-width:0}
        .grid{display:grid;grid-template-columns:minmax(0,1fr);gap:1rem}
        .grid>section{margin:0}
        @media (min-width:60rem){.grid{grid-template-columns:repeat(2,minmax(0,1fr))}.wide{grid-column:1/-1}.queue ol.rows{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));column-gap:2rem}}
        ul.inline{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;list-style:none;padding:0}ul.inline li{margin:0}
        .muted,.byline{color:var(--muted)}
        .paper-title{font-size:1.3rem;margin:.25rem 0}
        .abstract{margin:.5rem 0}
        dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.25rem 1rem;margin:.75rem 0 0}
        dt{font-weight:600}dd{margin:0}
        ul,ol{padding-left:1.2rem;margin:.25rem 0}li{margin:.35rem 0}
        ol.rows,ul.rows{list-style:none;padding:0}
        .rows li{display:grid;grid-template-columns:minmax(0,1fr) 6rem;gap:.1rem .75rem;align-items:center;border-bottom:1px solid var(--border);padding:.35rem 0}
        .rows .detail{grid-column:1/-1;color:var(--muted);font-size:.9rem}
        .count{font-variant-numeric:tabular-nums;color:var(--muted);font-size:.9rem}
        svg.meter{display:block;width:6rem;height:.5rem}
        .meter-track{fill:var(--none)}.meter-fill{fill:var(--bar)}
        .tag{display:inline-block;border:1px solid var(--border);border-radius:1rem;padding:0 .5rem;font-size:.85rem;color:var(--muted)}
        .weeks{display:flex;flex-wrap:wrap;gap:.25rem .75rem;list-style:none;padding:0}
        .weeks a[aria-current]{font-weight:700}
        figure.chart{margin:0;container:chart/inline-size}
        figure.chart svg{display:block;width:100%;max-width:44rem;height:auto}
        svg text{fill:var(--muted);font:13px system-ui,sans-serif}
        svg .axis-title{font-size:12px}
        .bar{fill:var(--bar)}.bar.empty{fill:var(--none)}
        line.gridline{stroke:var(--border);stroke-width:1}
        line.axis{stroke:var(--muted);stroke-width:1}
        .trend{fill:none;stroke:var(--trend);stroke-width:2.5}
        .week.kept{fill:var(--kept)}.week.frozen{fill:var(--frozen)}.week.missed{fill:var(--missed)}.week.not-counted{fill:var(--none)}
        .week.open{fill:var(--bg);stroke:var(--muted);stroke-width:1.5;stroke-dasharray:3 2}
        .legend{color:var(--muted);font-size:.9rem;margin-top:.25rem}
        .swatch{display:inline-block;width:.9rem;height:.6rem;margin:0 .3rem 0 .6rem;border-radius:2px;background:var(--bar)}
        .swatch.trend{height:.2rem;background:var(--trend);vertical-align:middle}
        .swatch.kept{background:var(--kept)}.swatch.frozen{background:var(--frozen)}.swatch.missed{background:var(--missed)}.swatch.not-counted{background:var(--none)}
        .swatch.open{background:var(--bg);border:1px dashed var(--muted)}
        @media (max-width:40rem){main{padding:.75rem}.card{padding:.75rem}}
        @container chart (max-width:36rem){svg text,svg .axis-title{font-size:18px}.x-label.alt{display:none}}
        @container chart (max-width:24rem){svg text,svg .axis-title{font-size:22px}}
        .digest h3{border-top:1px solid var(--border);padding-top:.5rem}
        .sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
        input[type=search]{width:min(100%,28rem);padding:.4rem;font-size:1rem;color:var(--fg);background:var(--bg);border:1px solid var(--muted);border-radius:4px}
        button{padding:.4rem .8rem;font-size:1rem;color:var(--head-fg);background:var(--head);border:1px solid var(--muted);border-radius:4px}
        """;
}
