#pragma once

#include "Plan.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

namespace moltdesk {

// The items of a plan: action, key, size, note.
class PlanModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ActionColumn, KeyColumn, SizeColumn, NoteColumn, ColumnCount };
    enum Roles { SortRole = Qt::UserRole + 1, ActionRole };

    explicit PlanModel(QObject *parent = nullptr);
    void setPlan(const Plan &plan);
    const Plan &plan() const { return m_plan; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    Plan m_plan;
};

// Filters plan items by text (key, action, note) and optionally hides unchanged ones.
class PlanFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit PlanFilterModel(QObject *parent = nullptr);
    void setHideUnchanged(bool hide);
    bool hideUnchanged() const { return m_hideUnchanged; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool m_hideUnchanged = true;
};

} // namespace moltdesk
