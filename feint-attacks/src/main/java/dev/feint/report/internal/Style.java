package dev.feint.report.internal;

/** The report's stylesheet, inline so the page is one file. */
final class Style {
    private Style() {}

    static final String CSS = """
            body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1120px;padding:0 16px;color:#222}
            h1{margin-bottom:0}h2{margin-top:36px;border-bottom:1px solid #ddd;padding-bottom:4px}.sub,.note{color:#666}
            table{border-collapse:collapse;margin:12px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:right}
            th{background:#f5f5f5}td{white-space:nowrap}td:first-child,th:first-child{text-align:left}tr.worst td{background:#fff6e5}
            .chart{display:block;margin:12px 0}.chart .t{font-weight:600;font-size:14px}.chart .ax{font-size:11px;fill:#555}
            .chart .grid{stroke:#eee}.figs{display:flex;flex-wrap:wrap;gap:18px}.fig{margin:0;border:1px solid #eee;padding:8px;border-radius:6px}
            .fig .im{display:inline-block;text-align:center;margin-right:6px}.fig .im img{display:block;image-rendering:pixelated;border:1px solid #ccc}
            .fig .im span{font-size:12px}.fig figcaption{font-size:12px;color:#555;margin-top:4px}
            .px{fill:none;stroke:#000;stroke-width:2}.px-in{fill:none;stroke:#fff;stroke-width:1}table.cls td.heat{min-width:22px;text-align:center}
            th.rot{height:90px;vertical-align:bottom;white-space:nowrap}th.rot span{writing-mode:vertical-rl;transform:rotate(180deg)}
            pre{background:#f7f7f7;padding:8px;overflow-x:auto}
            .v{font-weight:700;text-align:center}.v.PASS{background:#e6f4ea;color:#1e6b34}.v.WARN{background:#fff4e0;color:#8a5a00}
            .v.FAIL{background:#fde8e8;color:#a11}h2 .v{padding:2px 10px;border-radius:4px}table.audit td.msg{white-space:normal;text-align:left}table.audit th:last-child{text-align:left}
            """;
}
