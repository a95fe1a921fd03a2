#include "DataFlowView.h"

#include <QAccessible>
#include <QAccessibleWidget>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QPointer>
#include <QToolTip>

namespace moltdesk {

namespace {

constexpr int kMargin = 8;
constexpr int kGap = 16;   // between columns
constexpr int kArrow = 12; // between hops

QColor colorOf(HopState s)
{
    switch (s) {
    case HopState::Ok:
        return QColor(0x2e, 0x7d, 0x32);
    case HopState::Warning:
        return QColor(0xb2, 0x6a, 0x00);
    case HopState::Broken:
        return QColor(0xc6, 0x28, 0x28);
    case HopState::NotChecked:
        return QColor(0x61, 0x61, 0x61);
    }
    return Qt::gray;
}

// One hop as an accessible element: read live from the view, so it is never stale.
class HopAccessible : public QAccessibleInterface
{
public:
    HopAccessible(DataFlowView *view, int index) : m_view(view), m_index(index) {}

    bool isValid() const override { return m_view && m_view->hopAt(m_index); }
    QObject *object() const override { return nullptr; }
    QWindow *window() const override { return m_view ? m_view->window()->windowHandle() : nullptr; }
    QAccessibleInterface *parent() const override
    {
        return QAccessible::queryAccessibleInterface(m_view.data());
    }
    QAccessibleInterface *child(int) const override { return nullptr; }
    int childCount() const override { return 0; }
    int indexOfChild(const QAccessibleInterface *) const override { return -1; }
    QAccessibleInterface *childAt(int, int) const override { return nullptr; }
    QAccessibleInterface *focusChild() const override { return nullptr; }
    QAccessible::Role role() const override { return QAccessible::StaticText; }
    QAccessible::State state() const override
    {
        QAccessible::State st;
        st.readOnly = true;
        st.selectable = true;
        return st;
    }
    QRect rect() const override
    {
        if (!m_view)
            return {};
        const QRect r = m_view->hopRect(m_index);
        return QRect(m_view->mapToGlobal(r.topLeft()), r.size());
    }
    QString text(QAccessible::Text t) const override
    {
        QString env;
        const FlowHop *h = m_view ? m_view->hopAt(m_index, &env) : nullptr;
        if (!h)
            return {};
        switch (t) {
        case QAccessible::Name:
            return QStringLiteral("%1: %2").arg(env, h->label);
        case QAccessible::Description:
            return h->description();
        case QAccessible::Value:
            return h->value;
        default:
            return {};
        }
    }
    void setText(QAccessible::Text, const QString &) override {}

private:
    QPointer<DataFlowView> m_view;
    int m_index;
};

class DataFlowAccessible : public QAccessibleWidget
{
public:
    explicit DataFlowAccessible(DataFlowView *view) : QAccessibleWidget(view, QAccessible::Graphic) {}

    int childCount() const override { return view()->hopCount(); }
    QAccessibleInterface *child(int index) const override
    {
        if (index < 0 || index >= childCount())
            return nullptr;
        auto it = m_children.constFind(index);
        if (it != m_children.cend())
            return QAccessible::accessibleInterface(*it);
        auto *hop = new HopAccessible(view(), index);
        m_children.insert(index, QAccessible::registerAccessibleInterface(hop));
        return hop;
    }
    int indexOfChild(const QAccessibleInterface *child) const override
    {
        for (auto it = m_children.cbegin(); it != m_children.cend(); ++it) {
            if (QAccessible::accessibleInterface(*it) == child)
                return it.key();
        }
        return -1;
    }
    QAccessibleInterface *childAt(int x, int y) const override
    {
        const int i = view()->hopIndexAt(view()->mapFromGlobal(QPoint(x, y)));
        return i >= 0 ? child(i) : nullptr;
    }
    ~DataFlowAccessible() override
    {
        for (QAccessible::Id id : std::as_const(m_children))
            QAccessible::deleteAccessibleInterface(id);
    }

private:
    DataFlowView *view() const { return static_cast<DataFlowView *>(widget()); }
    mutable QHash<int, QAccessible::Id> m_children;
};

QAccessibleInterface *dataFlowFactory(const QString &className, QObject *object)
{
    if (className == QLatin1String("moltdesk::DataFlowView") && object && object->isWidgetType())
        return new DataFlowAccessible(static_cast<DataFlowView *>(object));
    return nullptr;
}

} // namespace

DataFlowView::DataFlowView(QWidget *parent) : QWidget(parent)
{
    static const bool installed = [] {
        QAccessible::installFactory(dataFlowFactory);
        return true;
    }();
    Q_UNUSED(installed);
    setObjectName(QStringLiteral("dataFlowView"));
    setAccessibleName(QStringLiteral("Data flow per environment"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void DataFlowView::setReport(const AuditReport &report)
{
    m_columns = buildDataFlow(report);
    QStringList broken;
    for (const FlowColumn &c : std::as_const(m_columns)) {
        for (const FlowHop &h : c.hops) {
            if (h.firstBreak)
                broken << QStringLiteral("%1 breaks at %2").arg(c.environment, h.label);
        }
    }
    setAccessibleDescription(broken.isEmpty() ? QStringLiteral("no broken hop")
                                              : broken.join(QStringLiteral("; ")));
    updateGeometry();
    update();
    QAccessibleEvent ev(this, QAccessible::DescriptionChanged);
    QAccessible::updateAccessibility(&ev);
}

int DataFlowView::hopCount() const
{
    int n = 0;
    for (const FlowColumn &c : m_columns)
        n += int(c.hops.size());
    return n;
}

const FlowHop *DataFlowView::hopAt(int index, QString *environment) const
{
    if (index < 0)
        return nullptr;
    for (const FlowColumn &c : m_columns) {
        if (index < c.hops.size()) {
            if (environment)
                *environment = c.environment;
            return &c.hops.at(index);
        }
        index -= int(c.hops.size());
    }
    return nullptr;
}

int DataFlowView::columnWidth() const
{
    const int n = qMax(1, int(m_columns.size()));
    return qMax(160, (width() - 2 * kMargin - (n - 1) * kGap) / n);
}

int DataFlowView::boxHeight() const
{
    return fontMetrics().height() * 2 + 8;
}

QRect DataFlowView::hopRect(int index) const
{
    int col = 0;
    for (const FlowColumn &c : m_columns) {
        if (index < c.hops.size()) {
            const int x = kMargin + col * (columnWidth() + kGap);
            const int y = kMargin + fontMetrics().height() + 6 + index * (boxHeight() + kArrow);
            return QRect(x, y, columnWidth(), boxHeight());
        }
        index -= int(c.hops.size());
        ++col;
    }
    return {};
}

int DataFlowView::hopIndexAt(const QPoint &pos) const
{
    for (int i = 0; i < hopCount(); ++i) {
        if (hopRect(i).contains(pos))
            return i;
    }
    return -1;
}

QSize DataFlowView::sizeHint() const
{
    int hops = 0;
    for (const FlowColumn &c : m_columns)
        hops = qMax(hops, int(c.hops.size()));
    const int h = 2 * kMargin + fontMetrics().height() + 6 + hops * (boxHeight() + kArrow);
    return QSize(int(qMax<qsizetype>(1, m_columns.size())) * (220 + kGap), h);
}

QSize DataFlowView::minimumSizeHint() const
{
    return QSize(200, sizeHint().height());
}

void DataFlowView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm = fontMetrics();
    QFont bold = font();
    bold.setBold(true);
    int index = 0;
    for (int col = 0; col < m_columns.size(); ++col) {
        const FlowColumn &c = m_columns.at(col);
        const int x = kMargin + col * (columnWidth() + kGap);
        p.setFont(bold);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(x, kMargin, columnWidth(), fm.height()), Qt::AlignHCenter, c.environment);
        for (int i = 0; i < c.hops.size(); ++i, ++index) {
            const FlowHop &h = c.hops.at(i);
            const QRect r = hopRect(index);
            const QColor color = colorOf(h.state);
            QPen pen(color, h.firstBreak ? 3 : 1.5);
            if (h.state == HopState::NotChecked)
                pen.setStyle(Qt::DashLine);
            p.setPen(pen);
            p.setBrush(h.firstBreak ? QColor(0xff, 0xeb, 0xee) : palette().color(QPalette::Base));
            p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 5, 5);
            const QRect text = r.adjusted(8, 4, -8, -4);
            p.setFont(bold);
            p.setPen(color);
            p.drawText(
                text, Qt::AlignLeft | Qt::AlignTop,
                fm.elidedText(hopSymbol(h.state) + QLatin1Char(' ') + h.label, Qt::ElideRight, text.width()));
            p.setFont(font());
            p.setPen(palette().color(QPalette::Text));
            p.drawText(text, Qt::AlignLeft | Qt::AlignBottom,
                       fm.elidedText(h.value, Qt::ElideMiddle, text.width()));
            if (i + 1 < c.hops.size()) {
                const int ax = r.center().x();
                p.setPen(QPen(palette().color(QPalette::Mid), 1.5));
                p.drawLine(ax, r.bottom() + 2, ax, r.bottom() + kArrow - 2);
                QPainterPath head;
                head.moveTo(ax - 4, r.bottom() + kArrow - 7);
                head.lineTo(ax, r.bottom() + kArrow - 2);
                head.lineTo(ax + 4, r.bottom() + kArrow - 7);
                p.drawPath(head);
            }
        }
    }
    if (m_columns.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, QStringLiteral("Verify isolation to draw the data flow"));
    }
}

bool DataFlowView::event(QEvent *e)
{
    if (e->type() == QEvent::ToolTip) {
        auto *he = static_cast<QHelpEvent *>(e);
        QString env;
        if (const FlowHop *h = hopAt(hopIndexAt(he->pos()), &env))
            QToolTip::showText(he->globalPos(),
                               QStringLiteral("%1 — %2\n%3").arg(env, h->label, h->description()), this,
                               hopRect(hopIndexAt(he->pos())));
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

void DataFlowView::contextMenuEvent(QContextMenuEvent *e)
{
    QString env;
    const FlowHop *h = hopAt(hopIndexAt(e->pos()), &env);
    if (!h)
        return;
    QMenu menu(this);
    const QString value = h->value;
    const QString all = QStringLiteral("%1 — %2: %3").arg(env, h->label, h->description());
    menu.addAction(QStringLiteral("Copy value"), this,
                   [value] { QApplication::clipboard()->setText(value); });
    menu.addAction(QStringLiteral("Copy details"), this, [all] { QApplication::clipboard()->setText(all); });
    menu.exec(e->globalPos());
}

} // namespace moltdesk
