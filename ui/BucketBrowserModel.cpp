#include "BucketBrowserModel.h"

#include "NaturalOrder.h"
#include "Plan.h"
#include "QueuedDelivery.h"
#include "UiLogging.h"

#include <QColor>
#include <QFileIconProvider>
#include <QLocale>

namespace moltdesk {

int BucketBrowserModel::Node::row() const
{
    return parent ? rowInParent : 0;
}

namespace {
// Every folder's count and size from one listing without delimiter: each key counts for each of its
// ancestors ("a/", "a/b/") and for the bucket (""). Runs on the backend's thread, never the UI's.
QHash<QString, BucketBrowserModel::Totals> totalsOf(const QList<ObjectInfo> &objects)
{
    QHash<QString, BucketBrowserModel::Totals> t;
    for (const ObjectInfo &o : objects) {
        auto add = [&t, &o](const QString &prefix) {
            BucketBrowserModel::Totals &x = t[prefix];
            ++x.objects;
            x.bytes += qMax<qint64>(0, o.size);
        };
        add(QString());
        for (qsizetype i = o.key.indexOf(QLatin1Char('/')); i >= 0;
             i = o.key.indexOf(QLatin1Char('/'), i + 1))
            add(o.key.left(i + 1));
    }
    return t;
}

struct FullListing
{
    Result<Listing> listing = Listing{};
    QHash<QString, BucketBrowserModel::Totals> totals;
};
} // namespace

BucketBrowserModel::BucketBrowserModel(QObject *parent)
    : QAbstractItemModel(parent), m_root(std::make_unique<Node>())
{
    m_root->isPrefix = true;
    m_root->fetched = true;
}

void BucketBrowserModel::sortNaturally(std::vector<std::unique_ptr<Node>> &nodes)
{
    QStringList names;
    names.reserve(qsizetype(nodes.size()));
    for (const auto &n : nodes)
        names << n->name;
    std::vector<std::unique_ptr<Node>> sorted;
    sorted.reserve(nodes.size());
    const std::vector<qsizetype> order = naturalOrder(names);
    for (const bool folders : {true, false}) { // folders first
        for (const qsizetype i : order) {
            if (nodes[size_t(i)] && nodes[size_t(i)]->isPrefix == folders)
                sorted.push_back(std::move(nodes[size_t(i)]));
        }
    }
    nodes = std::move(sorted);
}

void BucketBrowserModel::fetchTotals()
{
    m_totals.clear();
    m_all.clear();
    m_totalsReady = false;
    if (!m_backend)
        return;
    const quint64 gen = m_generation;
    deliverQueued(m_backend->list(ListRequest{}).then([](const Result<Listing> &r) {
        FullListing f{r, {}};
        if (r)
            f.totals = totalsOf(r.value().objects);
        return f;
    }),
                  this, [this, gen](const FullListing &f) {
                      if (gen != m_generation)
                          return;
                      if (!f.listing) {
                          qCWarning(lcUi) << "full listing failed:" << f.listing.error().toString();
                          return; // folders keep showing no totals: never a made-up 0
                      }
                      m_totals = f.totals;
                      m_all = f.listing.value().objects;
                      m_totalsReady = true;
                      if (!m_filter.isEmpty())
                          showFiltered();
                      else
                          notifyTotals(m_root.get());
                      Q_EMIT totalsChanged();
                  });
}

void BucketBrowserModel::notifyTotals(Node *node)
{
    if (node->children.empty())
        return;
    const QModelIndex parent = indexOf(node);
    Q_EMIT dataChanged(index(0, SizeColumn, parent),
                       index(int(node->children.size()) - 1, ObjectsColumn, parent));
    for (const auto &c : node->children)
        if (c->isPrefix)
            notifyTotals(c.get());
}

void BucketBrowserModel::resetRoot()
{
    m_root = std::make_unique<Node>();
    m_root->isPrefix = true;
    m_root->fetched = !m_backend;
}

void BucketBrowserModel::setNameFilter(const QString &text)
{
    if (text == m_filter)
        return;
    m_filter = text;
    if (!m_filter.isEmpty()) {
        showFiltered();
        return;
    }
    beginResetModel();
    ++m_generation; // a listing in flight belongs to the old tree
    if (m_pending) {
        m_pending = 0;
        Q_EMIT loadingChanged(false);
    }
    resetRoot();
    endResetModel();
    fetchTotals();
    fetchMore({});
}

void BucketBrowserModel::showFiltered()
{
    beginResetModel();
    resetRoot();
    m_root->fetched = true;
    auto message = [this](const QString &text) {
        auto msg = std::make_unique<Node>();
        msg->parent = m_root.get();
        msg->name = text;
        msg->isMessage = true;
        m_root->children.push_back(std::move(msg));
    };
    if (!m_totalsReady) {
        message(m_backend ? QStringLiteral("searching the whole bucket…")
                          : QStringLiteral("nothing to search"));
    } else {
        for (const ObjectInfo &o : std::as_const(m_all)) {
            if (!o.key.contains(m_filter, Qt::CaseInsensitive))
                continue;
            auto c = std::make_unique<Node>();
            c->parent = m_root.get();
            c->key = o.key;
            c->name = o.key;
            c->size = o.size;
            c->modified = o.modified;
            m_root->children.push_back(std::move(c));
        }
        sortNaturally(m_root->children);
        for (size_t i = 0; i < m_root->children.size(); ++i)
            m_root->children[i]->rowInParent = int(i);
        if (m_root->children.empty())
            message(QStringLiteral("no key contains “%1”").arg(m_filter));
    }
    endResetModel();
}

BucketBrowserModel::~BucketBrowserModel() = default;

void BucketBrowserModel::setBackend(std::shared_ptr<StorageBackend> backend, const QString &placeholder)
{
    beginResetModel();
    ++m_generation; // listings still in flight for the old bucket are dropped
    if (m_pending) {
        m_pending = 0;
        Q_EMIT loadingChanged(false);
    }
    m_backend = std::move(backend);
    m_filter.clear();
    resetRoot();
    if (!m_backend && !placeholder.isEmpty()) {
        auto msg = std::make_unique<Node>();
        msg->parent = m_root.get();
        msg->name = placeholder;
        msg->isMessage = true;
        m_root->children.push_back(std::move(msg));
    }
    endResetModel();
    fetchTotals();
}

BucketBrowserModel::Node *BucketBrowserModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex BucketBrowserModel::indexOf(Node *node) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row(), 0, node);
}

QModelIndex BucketBrowserModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    Node *p = nodeOf(parent);
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex BucketBrowserModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    Node *n = nodeOf(child);
    return indexOf(n->parent);
}

int BucketBrowserModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int BucketBrowserModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool BucketBrowserModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *n = nodeOf(parent);
    if (!n->isPrefix)
        return false;
    return !n->fetched || !n->children.empty();
}

bool BucketBrowserModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *n = nodeOf(parent);
    return m_backend && n->isPrefix && !n->fetched && !n->fetching;
}

void BucketBrowserModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    Node *n = nodeOf(parent);
    n->fetching = true;
    // No row is inserted here: fetchMore may be called from inside a view's (or a tester's) reaction
    // to an insertion. "listing…" is shown through loadingChanged.
    if (m_pending++ == 0)
        Q_EMIT loadingChanged(true);
    const quint64 gen = m_generation;
    ListRequest req;
    req.prefix = n->key;
    req.delimiter = QStringLiteral("/");
    // The backend lists on its own threads, and the rows are made and sorted there too (a folder of
    // 10,000 objects takes far longer to sort than a frame); only the insertion runs on the model's thread.
    const QString prefix = n->key;
    // Delivered always later, never inside fetchMore (deliverQueued).
    deliverQueued(m_backend->list(req).then([prefix](const Result<Listing> &r) { return rowsOf(prefix, r); }),
                  this, [this, n, gen](const Rows &rows) { applyListing(n, gen, rows); });
}

BucketBrowserModel::Rows BucketBrowserModel::rowsOf(const QString &prefix, const Result<Listing> &listing)
{
    auto kids = std::make_shared<std::vector<std::unique_ptr<Node>>>();
    if (!listing.ok()) {
        qCWarning(lcUi) << "listing" << prefix << "failed:" << listing.error().toString();
        auto msg = std::make_unique<Node>();
        msg->name = QStringLiteral("cannot list: ") + listing.error().message;
        msg->isMessage = true;
        kids->push_back(std::move(msg));
        return kids;
    }
    kids->reserve(size_t(listing.value().commonPrefixes.size() + listing.value().objects.size()));
    for (const QString &p : listing.value().commonPrefixes) {
        auto c = std::make_unique<Node>();
        c->key = p;
        c->name = p.mid(prefix.size());
        c->isPrefix = true;
        kids->push_back(std::move(c));
    }
    for (const ObjectInfo &o : listing.value().objects) {
        if (o.key == prefix)
            continue;
        auto c = std::make_unique<Node>();
        c->key = o.key;
        c->name = o.key.mid(prefix.size());
        c->size = o.size;
        c->modified = o.modified;
        kids->push_back(std::move(c));
    }
    sortNaturally(*kids);
    return kids;
}

void BucketBrowserModel::applyListing(Node *node, quint64 generation, const Rows &rows)
{
    if (generation != m_generation)
        return; // the model was reset since: `node` is gone
    if (--m_pending == 0)
        Q_EMIT loadingChanged(false);
    const QModelIndex parentIndex = indexOf(node);
    if (!node->children.empty()) {
        beginRemoveRows(parentIndex, 0, int(node->children.size()) - 1);
        node->children.clear();
        endRemoveRows();
    }
    node->fetching = false;
    node->fetched = true;
    if (rows->empty())
        return;
    beginInsertRows(parentIndex, 0, int(rows->size()) - 1);
    node->children = std::move(*rows);
    for (size_t i = 0; i < node->children.size(); ++i) {
        node->children[i]->parent = node;
        node->children[i]->rowInParent = int(i);
    }
    endInsertRows();
}

QVariant BucketBrowserModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *n = nodeOf(index);
    const bool folderTotals = n->isPrefix && !n->isMessage && m_totalsReady;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return n->name;
        case SizeColumn:
            if (folderTotals)
                return formatBytes(m_totals.value(n->key).bytes);
            return n->size >= 0 ? formatBytes(n->size) : QString();
        case ObjectsColumn:
            if (folderTotals)
                return QLocale().toString(m_totals.value(n->key).objects);
            return {};
        case ModifiedColumn:
            return n->modified.isValid() ? QLocale().toString(n->modified.toLocalTime(), QLocale::ShortFormat)
                                         : QString();
        }
        return {};
    case Qt::ToolTipRole:
        return n->isMessage ? n->name : n->key;
    case Qt::DecorationRole:
        if (index.column() == NameColumn && !n->isMessage) {
            static const QFileIconProvider icons;
            return icons.icon(n->isPrefix ? QFileIconProvider::Folder : QFileIconProvider::File);
        }
        return {};
    case Qt::ForegroundRole:
        if (n->isMessage && n->name.startsWith(QStringLiteral("cannot")))
            return QColor(0xc6, 0x28, 0x28);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == ObjectsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KeyRole:
        return n->key;
    case IsPrefixRole:
        return n->isPrefix;
    case SizeRole:
        return folderTotals ? m_totals.value(n->key).bytes : n->size;
    case ObjectsRole:
        return folderTotals ? QVariant(m_totals.value(n->key).objects) : QVariant();
    }
    return {};
}

QVariant BucketBrowserModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return QStringLiteral("Name");
    case SizeColumn:
        return QStringLiteral("Size");
    case ObjectsColumn:
        return QStringLiteral("Objects");
    case ModifiedColumn:
        return QStringLiteral("Modified");
    }
    return {};
}

} // namespace moltdesk
