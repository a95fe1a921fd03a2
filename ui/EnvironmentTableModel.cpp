#include "EnvironmentTableModel.h"

#include "LastSync.h"
#include "Plan.h"

#include <QApplication>
#include <QFont>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

namespace moltdesk {

EnvironmentTableModel::EnvironmentTableModel(QObject *parent) : QAbstractTableModel(parent) {}

QColor EnvironmentTableModel::productionColor()
{
    return QColor(0xc6, 0x28, 0x28);
}

QIcon EnvironmentTableModel::healthIcon(Health h)
{
    QColor c;
    switch (h) {
    case Health::Ok:
        c = QColor(0x2e, 0x7d, 0x32);
        break;
    case Health::Warning:
        c = QColor(0xef, 0x8f, 0x00);
        break;
    case Health::Failure:
        c = QColor(0xc6, 0x28, 0x28);
        break;
    case Health::Unknown:
        c = QColor(0x9e, 0x9e, 0x9e);
        break;
    }
    QPixmap pm(32, 32);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(c.darker(130), 2));
    p.setBrush(c);
    if (h == Health::Warning) {
        const QPointF tri[3] = {{16, 3}, {30, 29}, {2, 29}};
        p.drawPolygon(tri, 3);
        p.setPen(QPen(Qt::white, 3.5));
        p.drawLine(QPointF(16, 11), QPointF(16, 20));
        p.drawPoint(QPointF(16, 25));
    } else {
        p.drawEllipse(QRectF(3, 3, 26, 26));
        p.setPen(QPen(Qt::white, 3.5, Qt::SolidLine, Qt::RoundCap));
        if (h == Health::Ok) {
            p.drawLine(QPointF(9, 16), QPointF(14, 21));
            p.drawLine(QPointF(14, 21), QPointF(23, 11));
        } else if (h == Health::Failure) {
            p.drawLine(QPointF(11, 11), QPointF(21, 21));
            p.drawLine(QPointF(21, 11), QPointF(11, 21));
        } else {
            p.drawPoint(QPointF(16, 16));
        }
    }
    p.end();
    return QIcon(pm);
}

void EnvironmentTableModel::setEnvironments(const QList<EnvironmentNames> &envs, int staleAfterHours)
{
    beginResetModel();
    m_rows.clear();
    for (const EnvironmentNames &e : envs)
        m_rows << Row{e, std::nullopt, false};
    m_staleAfterHours = staleAfterHours;
    endResetModel();
}

void EnvironmentTableModel::setUpdating(int row, bool updating)
{
    if (row < 0 || row >= m_rows.size())
        return;
    m_rows[row].updating = updating;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void EnvironmentTableModel::setStatus(int row, const EnvironmentStatus &status)
{
    if (row < 0 || row >= m_rows.size())
        return;
    m_rows[row].status = status;
    m_rows[row].updating = false;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void EnvironmentTableModel::setNow(const QDateTime &now)
{
    m_now = now;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

QDateTime EnvironmentTableModel::now() const
{
    return m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
}

int EnvironmentTableModel::rowOf(const QString &displayName) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).names.displayName() == displayName || m_rows.at(i).names.environment == displayName)
            return i;
    return -1;
}

int EnvironmentTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EnvironmentTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool EnvironmentTableModel::isStale(const Row &r) const
{
    // An old legacy .last-sync is expected (nothing syncs there any more), not stale.
    return r.status && !r.names.isLegacy() && r.status->isStale(now(), m_staleAfterHours);
}

QString EnvironmentTableModel::text(const Row &r, int column) const
{
    const auto &s = r.status;
    switch (column) {
    case EnvironmentColumn:
        return r.names.isProduction() ? r.names.environment.toUpper() : r.names.displayName();
    case BucketColumn:
        return r.names.bucket;
    case MountColumn:
        return r.names.mountPath;
    case LastSyncColumn:
        if (!s)
            return r.updating ? QStringLiteral("updating…") : QString();
        switch (s->lastSyncState) {
        case EnvironmentStatus::LastSyncState::Valid:
            if (r.names.isLegacy())
                return QLocale().toString(s->lastSync.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm"));
            return LastSync::relativeAge(s->lastSync, now()) +
                   (isStale(r) ? QStringLiteral("  (stale)") : QString());
        case EnvironmentStatus::LastSyncState::Missing:
            // Upstream's rclone era writes no .last-sync: the newest object says when data last changed.
            return s->lastChange.isValid()
                       ? QStringLiteral("last change ") + LastSync::relativeAge(s->lastChange, now())
                       : QStringLiteral("never synced");
        case EnvironmentStatus::LastSyncState::Unreadable:
            return QStringLiteral("unreadable");
        case EnvironmentStatus::LastSyncState::Unknown:
            return s->error ? QStringLiteral("unreachable") : QStringLiteral("—");
        }
        return {};
    case ObjectsColumn:
        if (!s)
            return r.updating ? QStringLiteral("updating…") : QString();
        if (!s->listed)
            return QStringLiteral("—");
        return QStringLiteral("%1 · %2").arg(QLocale().toString(s->objects), formatBytes(s->bytes));
    case CredentialsColumn:
        if (!s)
            return r.updating ? QStringLiteral("updating…") : QString();
        return s->credentialText;
    case HealthColumn:
        if (r.updating)
            return QStringLiteral("updating…");
        if (!s)
            return QStringLiteral("not checked");
        if (s->error && s->problems.isEmpty())
            return s->error->message;
        if (s->problems.isEmpty())
            return healthName(s->health);
        return s->problems.first() + (s->problems.size() > 1
                                          ? QStringLiteral(" (+%1 more)").arg(s->problems.size() - 1)
                                          : QString());
    }
    return {};
}

QString EnvironmentTableModel::tooltip(const Row &r, int column) const
{
    const auto &s = r.status;
    switch (column) {
    case EnvironmentColumn:
        return r.names.isProduction() ? QStringLiteral("Production: actions ask for the name typed")
                                      : r.names.displayName();
    case LastSyncColumn:
        if (s && s->lastSyncState == EnvironmentStatus::LastSyncState::Valid)
            return s->lastSync.toUTC().toString(Qt::ISODate) +
                   (isStale(r) ? QStringLiteral("\nolder than %1 h: stale").arg(m_staleAfterHours)
                               : QString());
        if (s && s->lastSyncState == EnvironmentStatus::LastSyncState::Unreadable)
            return s->lastSyncError;
        return {};
    case ObjectsColumn:
        if (s && s->listed)
            return QStringLiteral("%1 objects, %2 bytes")
                .arg(QLocale().toString(s->objects), QLocale().toString(s->bytes));
        return {};
    case CredentialsColumn:
        if (s)
            return (s->missingCredentials.isEmpty()
                        ? s->credentialText
                        : QStringLiteral("missing: ") + s->missingCredentials.join(QStringLiteral(", "))) +
                   (s->notes.isEmpty() ? QString() : QLatin1Char('\n') + s->notes.join(QLatin1Char('\n')));
        return {};
    case HealthColumn: {
        if (!s)
            return {};
        QStringList lines{healthName(s->health)};
        lines += s->problems;
        if (s->error)
            lines << s->error->toString();
        return lines.join(QLatin1Char('\n'));
    }
    default:
        return text(r, column);
    }
}

QVariant EnvironmentTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const int c = index.column();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return text(r, c);
    case Qt::ToolTipRole:
        return tooltip(r, c);
    case Qt::DecorationRole:
        if (c == HealthColumn)
            return healthIcon(r.status ? r.status->health : Health::Unknown);
        if (c == LastSyncColumn && isStale(r))
            return healthIcon(Health::Warning);
        return {};
    case Qt::ForegroundRole:
        if (c == EnvironmentColumn && r.names.isProduction())
            return productionColor();
        if (c == CredentialsColumn && r.status && !r.status->missingCredentials.isEmpty())
            return productionColor();
        if (c == HealthColumn && r.status && r.status->health == Health::Failure)
            return productionColor();
        if (r.names.isLegacy())
            return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::BackgroundRole:
        if (c == LastSyncColumn && isStale(r))
            return QColor(0xff, 0xb3, 0x00, 70);
        if (r.names.isProduction())
            return QColor(0xc6, 0x28, 0x28, 22);
        return {};
    case Qt::FontRole:
        if (c == EnvironmentColumn && r.names.isProduction()) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case SortRole:
        switch (c) {
        case LastSyncColumn:
            return r.status ? r.status->lastSync : QDateTime();
        case ObjectsColumn:
            return r.status ? r.status->objects : qint64(-1);
        case HealthColumn:
            return r.status ? int(r.status->health) : -1;
        default:
            return text(r, c);
        }
    case HealthRole:
        return r.status ? int(r.status->health) : int(Health::Unknown);
    case StaleRole:
        return isStale(r);
    case UpdatingRole:
        return r.updating;
    case ProductionRole:
        return r.names.isProduction();
    case EnvironmentNameRole:
        return r.names.displayName();
    }
    return {};
}

QVariant EnvironmentTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case EnvironmentColumn:
        return QStringLiteral("Environment");
    case BucketColumn:
        return QStringLiteral("Bucket");
    case MountColumn:
        return QStringLiteral("Mount path");
    case LastSyncColumn:
        return QStringLiteral("Last sync");
    case ObjectsColumn:
        return QStringLiteral("Objects · size");
    case CredentialsColumn:
        return QStringLiteral("Credentials");
    case HealthColumn:
        return QStringLiteral("Health");
    }
    return {};
}

} // namespace moltdesk
