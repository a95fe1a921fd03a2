#include "PlanModel.h"

#include <QColor>

namespace moltdesk {

PlanModel::PlanModel(QObject *parent) : QAbstractTableModel(parent) {}

void PlanModel::setPlan(const Plan &plan)
{
    beginResetModel();
    m_plan = plan;
    endResetModel();
}

int PlanModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_plan.items.size());
}

int PlanModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PlanModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PlanItem &i = m_plan.items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case ActionColumn:
            return planActionName(i.action);
        case KeyColumn:
            return role == Qt::ToolTipRole && !i.localPath.isEmpty()
                       ? i.key + QStringLiteral("\n") + i.localPath
                       : i.key;
        case SizeColumn:
            return formatBytes(i.size);
        case NoteColumn:
            return i.note;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == ActionColumn) {
            switch (i.action) {
            case PlanAction::Delete:
            case PlanAction::Conflict:
                return QColor(0xc6, 0x28, 0x28);
            case PlanAction::Replace:
                return QColor(0xb2, 0x6a, 0x00);
            case PlanAction::Upload:
            case PlanAction::Download:
            case PlanAction::Copy:
                return QColor(0x2e, 0x7d, 0x32);
            default:
                return {};
            }
        }
        return {};
    case SortRole:
        if (index.column() == SizeColumn)
            return i.size;
        if (index.column() == ActionColumn)
            return int(i.action);
        return data(index, Qt::DisplayRole);
    case ActionRole:
        return int(i.action);
    }
    return {};
}

QVariant PlanModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ActionColumn:
        return QStringLiteral("Action");
    case KeyColumn:
        return QStringLiteral("Key");
    case SizeColumn:
        return QStringLiteral("Size");
    case NoteColumn:
        return QStringLiteral("Note");
    }
    return {};
}

PlanFilterModel::PlanFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setSortRole(PlanModel::SortRole);
    setFilterKeyColumn(-1);
}

void PlanFilterModel::setHideUnchanged(bool hide)
{
    if (hide == m_hideUnchanged)
        return;
    m_hideUnchanged = hide;
    invalidateFilter();
}

bool PlanFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_hideUnchanged) {
        const auto a =
            PlanAction(sourceModel()->index(sourceRow, 0, sourceParent).data(PlanModel::ActionRole).toInt());
        if (a == PlanAction::Keep || a == PlanAction::Skip)
            return false;
    }
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

} // namespace moltdesk
