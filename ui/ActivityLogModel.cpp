#include "ActivityLogModel.h"

#include <QColor>
#include <QLocale>
#include <algorithm>

namespace moltdesk {

ActivityLogModel::ActivityLogModel(QObject *parent) : QAbstractTableModel(parent) {}

void ActivityLogModel::setEntries(const QList<ActivityEntry> &oldestFirst)
{
    beginResetModel();
    m_entries = oldestFirst;
    std::reverse(m_entries.begin(), m_entries.end());
    endResetModel();
}

void ActivityLogModel::prepend(const ActivityEntry &entry)
{
    beginInsertRows({}, 0, 0);
    m_entries.prepend(entry);
    endInsertRows();
}

int ActivityLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ActivityLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActivityLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ActivityEntry &e = m_entries.at(index.row());
    const bool bad =
        e.outcome == QLatin1String("failed") || e.outcome == QLatin1String("refused") || !e.errors.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QLocale().toString(e.time.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case EnvironmentColumn:
            return e.environment;
        case ActionColumn:
            return e.action;
        case OutcomeColumn:
            return e.outcome;
        case SummaryColumn:
            return !e.resultSummary.isEmpty() ? e.resultSummary : e.planSummary;
        }
        return {};
    case Qt::ToolTipRole:
    case DetailsRole:
        return e.details();
    case Qt::ForegroundRole:
        if (bad)
            return QColor(0xc6, 0x28, 0x28);
        return {};
    }
    return {};
}

QVariant ActivityLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return QStringLiteral("Time");
    case EnvironmentColumn:
        return QStringLiteral("Environment");
    case ActionColumn:
        return QStringLiteral("Action");
    case OutcomeColumn:
        return QStringLiteral("Outcome");
    case SummaryColumn:
        return QStringLiteral("Summary");
    }
    return {};
}

} // namespace moltdesk
