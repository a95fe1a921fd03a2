#pragma once

#include "BucketComparison.h"

#include <QAbstractTableModel>
#include <QCollator>
#include <QSortFilterProxyModel>

namespace moltdesk {

// The entries of a BucketComparison for a table: key, state, both sides' size and modified time.
class CompareModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        KeyColumn,
        StateColumn,
        SizeAColumn,
        SizeBColumn,
        ModifiedAColumn,
        ModifiedBColumn,
        ColumnCount
    };
    enum Roles { StateRole = Qt::UserRole + 1, SensitiveRole, SortRole };

    explicit CompareModel(QObject *parent = nullptr);

    // The comparison's entries in natural key order, as the view shows them first. Slow for 100,000
    // keys: call it off the UI thread, before setComparison.
    static BucketComparison inNaturalOrder(BucketComparison comparison);
    // Expects the entries in natural key order (inNaturalOrder): the view's key order is theirs.
    void setComparison(BucketComparison comparison);
    const BucketComparison &comparison() const { return m_comparison; }
    // "only in development", "differ", … with the environments' names.
    QString stateText(CompareState s) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    BucketComparison m_comparison;
    QString m_shortA, m_shortB; // environment names without the bucket
};

// Shows the states that are ticked and the keys that contain the filter text.
class CompareFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit CompareFilterModel(QObject *parent = nullptr);
    void setStateVisible(CompareState s, bool visible);
    bool isStateVisible(CompareState s) const { return m_visible[int(s)]; }
    void setKeyFilter(const QString &text);
    const QString &keyFilter() const { return m_text; }
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    const CompareModel *source() const;

    QCollator m_collator;
    bool m_visible[kCompareStateCount] = {true, true, true, false, true}; // identical hidden at first
    QString m_text;
};

} // namespace moltdesk
