#include "OverviewHtml.h"

#include "EnvironmentTableModel.h"
#include "LastSync.h"
#include "Plan.h"

#include <QLocale>

namespace moltdesk {

namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString prodColor()
{
    return EnvironmentTableModel::productionColor().name();
}

// One "key  value" row of the overview's table; `value` is HTML already.
QString fieldRow(const QString &key, const QString &value)
{
    return QStringLiteral("<tr><td style='padding-right:16px'><b>%1</b></td><td>%2</td></tr>")
        .arg(key, value);
}

QString heading(const EnvironmentNames &n)
{
    return n.isProduction()
               ? QStringLiteral("<h2 style='color:%1'>%2</h2>").arg(prodColor(), esc(n.environment.toUpper()))
               : QStringLiteral("<h2>%1</h2>").arg(esc(n.displayName()));
}

QString credentialsHtml(const EnvironmentNames &n, const EnvironmentStatus &st)
{
    const QString creds = esc(st.credentialText);
    if (st.missingCredentials.isEmpty())
        return creds;
    return QStringLiteral("<span style='color:%1'>%2</span> — <a href='moltdesk:credentials'>Add "
                          "credentials for %3</a>")
        .arg(prodColor(), creds, esc(n.displayName()));
}

QString markerHtml(const EnvironmentNames &n, const EnvironmentStatus &st)
{
    switch (st.markerState) {
    case EnvironmentStatus::MarkerState::Own:
        return QStringLiteral("%1 <span style='color:#2e7d32'>✔</span>").arg(esc(n.displayName()));
    case EnvironmentStatus::MarkerState::Missing:
        // The audit's advice for a bucket without a marker, legacy included, is to stamp it: the link does.
        return n.isLegacy()
                   ? QStringLiteral(
                         "none — <a href='moltdesk:stamp'>Stamp this bucket as the legacy bucket</a>")
                   : QStringLiteral("none — <a href='moltdesk:stamp'>Stamp this bucket as %1</a>")
                         .arg(esc(n.displayName()));
    case EnvironmentStatus::MarkerState::Foreign: {
        const QString named = st.marker ? (st.marker->environment.isEmpty() ? QStringLiteral("(legacy)")
                                                                            : st.marker->environment)
                                        : QString();
        return QStringLiteral("<span style='color:%1'><b>✘ names %2</b> — this bucket is cross-wired; run "
                              "Verify isolation</span>")
            .arg(prodColor(), esc(named));
    }
    case EnvironmentStatus::MarkerState::Unreadable:
        return QStringLiteral("<span style='color:%1'>unreadable</span>").arg(prodColor());
    case EnvironmentStatus::MarkerState::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString lastSyncHtml(const EnvironmentStatus &st, const QDateTime &now)
{
    switch (st.lastSyncState) {
    case EnvironmentStatus::LastSyncState::Valid:
        return QStringLiteral("<code>%1</code> (%2)")
            .arg(esc(QString::fromUtf8(st.lastSyncRaw).trimmed()),
                 esc(LastSync::relativeAge(st.lastSync, now)));
    case EnvironmentStatus::LastSyncState::Missing:
        return QStringLiteral("none (never synced)");
    case EnvironmentStatus::LastSyncState::Unreadable:
        return QStringLiteral("<span style='color:%1'>unreadable: <code>%2</code> (%3)</span>")
            .arg(prodColor(), esc(QString::fromUtf8(st.lastSyncRaw.left(80))), esc(st.lastSyncError));
    case EnvironmentStatus::LastSyncState::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

// The collected rows after bucket and mount path: where, keys, marker, last sync, what is wrong.
QString statusRows(const EnvironmentNames &n, const EnvironmentStatus &st, const QDateTime &now)
{
    QString html =
        fieldRow(QStringLiteral("location"), QStringLiteral("<code>%1</code>").arg(esc(st.location)));
    html += fieldRow(QStringLiteral("credentials"), credentialsHtml(n, st));
    html += fieldRow(QStringLiteral("marker"), markerHtml(n, st));
    html += fieldRow(QStringLiteral(".last-sync"), lastSyncHtml(st, now));
    if (st.error)
        html += fieldRow(
            QStringLiteral("error"),
            QStringLiteral("<span style='color:%1'>%2</span>").arg(prodColor(), esc(st.error->toString())));
    for (const QString &p : st.problems)
        html += fieldRow(QStringLiteral("problem"),
                         QStringLiteral("<span style='color:#b26a00'>▲ %1</span>").arg(esc(p)));
    for (const QString &note : st.notes)
        html += fieldRow(QStringLiteral("note"), esc(note));
    return html;
}

// Objects and bytes per prefix, then the total.
QString contentsTable(const EnvironmentStatus &st)
{
    const QLocale l;
    QString html = QStringLiteral("<h3>Contents</h3><table cellspacing='0' cellpadding='3'>"
                                  "<tr><th align='left'>prefix</th><th align='right'>objects</th>"
                                  "<th align='right'>size</th></tr>");
    for (const PrefixUsage &p : st.prefixes)
        html += QStringLiteral("<tr><td style='padding-right:24px'><code>%1</code></td><td align='right' "
                               "style='padding-right:24px'>%2</td><td align='right'>%3</td></tr>")
                    .arg(esc(p.prefix.isEmpty() ? QStringLiteral("(bucket root)") : p.prefix),
                         l.toString(p.objects), formatBytes(p.bytes));
    html += QStringLiteral("<tr><td><b>total</b></td><td align='right' style='padding-right:24px'><b>%1</b>"
                           "</td><td align='right'><b>%2</b></td></tr></table>")
                .arg(l.toString(st.objects), formatBytes(st.bytes));
    return html;
}

} // namespace

QString overviewHtml(const EnvironmentNames &n, const std::optional<EnvironmentStatus> &st, bool updating,
                     const QDateTime &now)
{
    QString html = heading(n) + QStringLiteral("<table cellspacing='0' cellpadding='3'>");
    html += fieldRow(QStringLiteral("bucket"), QStringLiteral("<code>%1</code>").arg(esc(n.bucket)));
    html += fieldRow(QStringLiteral("mount path"), QStringLiteral("<code>%1</code>").arg(esc(n.mountPath)));
    if (!st)
        return html +
               fieldRow(QStringLiteral("status"),
                        updating ? QStringLiteral("updating…") : QStringLiteral("not checked")) +
               QStringLiteral("</table>");
    html += statusRows(n, *st, now) + QStringLiteral("</table>");
    if (st->listed)
        html += contentsTable(*st);
    return html;
}

QString overviewPlaceholderHtml()
{
    return QStringLiteral("<p>Select an environment.</p>");
}

} // namespace moltdesk
