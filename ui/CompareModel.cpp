#include "CompareModel.h"

#include "NaturalOrder.h"
#include "Plan.h"

#include <QBrush>
#include <QCollator>
#include <QColor>
#include <QLocale>

namespace moltdesk {

namespace {

// "development (moltbot-data-development)" → "development"
QString shortName(const QString &label)
{
    const qsizetype paren = label.lastIndexOf(QLatin1String(" ("));
    return paren > 0 ? label.left(paren) : label;
}

QVariant sizeText(const CompareSide &o)
{
    return o.size < 0 ? QVariant() : QVariant(formatBytes(o.size));
}

QVariant modifiedText(const CompareSide &o)
{
    if (o.size < 0 || !o.modified.isValid())
        return {};
    return QLocale().toString(o.modified.toLocalTime(), QLocale::ShortFormat);
}

QColor stateColor(CompareState s)
{
    switch (s) {
    case CompareState::Differ:
        return QColor(0xc6, 0x28, 0x28);
    case CompareState::OnlyInA:
    case CompareState::OnlyInB:
        return QColor(0xb2, 0x6a, 0x00);
    case CompareState::Unknown:
        return QColor(0x61, 0x61, 0x61);
    case CompareState::Identical:
        break;
    }
    return {};
}

} // namespace

CompareModel::CompareModel(QObject *parent) : QAbstractTableModel(parent) {}

BucketComparison CompareModel::inNaturalOrder(BucketComparison comparison)
{
    QStringList keys;
    keys.reserve(comparison.entries.size());
    for (const CompareEntry &e : std::as_const(comparison.entries))
        keys << e.key;
    QList<CompareEntry> sorted;
    sorted.reserve(comparison.entries.size());
    for (const qsizetype i : naturalOrder(keys))
        sorted << std::move(comparison.entries[i]);
    comparison.entries = std::move(sorted);
    return comparison;
}

void CompareModel::setComparison(BucketComparison comparison)
{
    beginResetModel();
    m_comparison = std::move(comparison);
    m_shortA = shortName(m_comparison.nameA);
    m_shortB = shortName(m_comparison.nameB);
    endResetModel();
}

QString CompareModel::stateText(CompareState s) const
{
    switch (s) {
    case CompareState::OnlyInA:
        return QStringLiteral("only in %1").arg(m_shortA);
    case CompareState::OnlyInB:
        return QStringLiteral("only in %1").arg(m_shortB);
    case CompareState::Differ:
        return QStringLiteral("differ");
    case CompareState::Identical:
        return QStringLiteral("identical");
    case CompareState::Unknown:
        return QStringLiteral("same size, no checksum");
    }
    return {};
}

int CompareModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_comparison.entries.size());
}

int CompareModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CompareModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_comparison.entries.size())
        return {};
    const CompareEntry &e = m_comparison.entries.at(index.row());
    const bool leak = e.sensitive && e.state == CompareState::Identical;
    if (role == StateRole)
        return int(e.state);
    if (role == SensitiveRole)
        return e.sensitive;
    if (role == Qt::ForegroundRole && index.column() == StateColumn)
        return leak ? QBrush(QColor(0xc6, 0x28, 0x28)) : QBrush(stateColor(e.state));
    if (role == Qt::ToolTipRole && leak)
        return QStringLiteral("A sensitive file (config, paired devices or credentials) is identical in both "
                              "environments: treat the copy outside production as leaked.");
    if (role == SortRole) {
        switch (index.column()) {
        case SizeAColumn:
            return e.a.size;
        case SizeBColumn:
            return e.b.size;
        case ModifiedAColumn:
            return e.a.modified;
        case ModifiedBColumn:
            return e.b.modified;
        default:
            break;
        }
        role = Qt::DisplayRole;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case KeyColumn:
        return e.key;
    case StateColumn:
        return leak ? QStringLiteral("identical — sensitive, leaked?") : stateText(e.state);
    case SizeAColumn:
        return sizeText(e.a);
    case SizeBColumn:
        return sizeText(e.b);
    case ModifiedAColumn:
        return modifiedText(e.a);
    case ModifiedBColumn:
        return modifiedText(e.b);
    default:
        return {};
    }
}

QVariant CompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn:
        return QStringLiteral("Key");
    case StateColumn:
        return QStringLiteral("State");
    case SizeAColumn:
        return QStringLiteral("Size in %1").arg(m_shortA.isEmpty() ? QStringLiteral("A") : m_shortA);
    case SizeBColumn:
        return QStringLiteral("Size in %1").arg(m_shortB.isEmpty() ? QStringLiteral("B") : m_shortB);
    case ModifiedAColumn:
        return QStringLiteral("Modified in %1").arg(m_shortA.isEmpty() ? QStringLiteral("A") : m_shortA);
    case ModifiedBColumn:
        return QStringLiteral("Modified in %1").arg(m_shortB.isEmpty() ? QStringLiteral("B") : m_shortB);
    default:
        return {};
    }
}

CompareFilterModel::CompareFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(CompareModel::SortRole);
    // blob2 before blob10, as people read keys (also under the C locale: see naturalCollator).
    m_collator = naturalCollator();
}

const CompareModel *CompareFilterModel::source() const
{
    return static_cast<const CompareModel *>(sourceModel());
}

void CompareFilterModel::sort(int column, Qt::SortOrder order)
{
    // The source rows are in natural key order already (sorted off the UI thread): ascending by key is
    // their own order, and sorting 100,000 rows here would hold the UI thread for seconds.
    QSortFilterProxyModel::sort(
        column == CompareModel::KeyColumn && order == Qt::AscendingOrder ? -1 : column, order);
}

bool CompareFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (left.column() == CompareModel::KeyColumn)
        return left.row() < right.row(); // natural key order, as the source holds it
    const QVariant l = left.data(sortRole());
    const QVariant r = right.data(sortRole());
    if (l.typeId() == QMetaType::QString && r.typeId() == QMetaType::QString)
        return m_collator.compare(l.toString(), r.toString()) < 0;
    return QSortFilterProxyModel::lessThan(left, right);
}

void CompareFilterModel::setStateVisible(CompareState s, bool visible)
{
    if (m_visible[int(s)] == visible)
        return;
    m_visible[int(s)] = visible;
    invalidateFilter();
}

void CompareFilterModel::setKeyFilter(const QString &text)
{
    if (m_text == text)
        return;
    m_text = text;
    invalidateFilter();
}

bool CompareFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    // Straight from the entries, not through data(): this runs for every row at each change.
    if (sourceParent.isValid() || sourceRow >= source()->comparison().entries.size())
        return false;
    const CompareEntry &e = source()->comparison().entries.at(sourceRow);
    const int state = int(e.state);
    if (state < 0 || state >= kCompareStateCount || !m_visible[state])
        return false;
    return m_text.isEmpty() || e.key.contains(m_text, Qt::CaseInsensitive);
}

} // namespace moltdesk
