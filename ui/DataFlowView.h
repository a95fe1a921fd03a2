#pragma once

#include "DataFlow.h"

#include <QWidget>

namespace moltdesk {

// The Isolation tab's diagram: for every environment side by side, the seed's chain from wrangler to
// the last sync, one box per hop with ✔ / ▲ / ✘ / ?, the first broken hop of a chain filled red.
// Long values are elided in the middle; the tooltip and "Copy" (context menu) give them whole. Each
// hop is an accessible child (name "<environment>: <hop>", description = state, value and why).
class DataFlowView : public QWidget
{
    Q_OBJECT
public:
    explicit DataFlowView(QWidget *parent = nullptr);

    void setReport(const AuditReport &report);
    const QList<FlowColumn> &columns() const { return m_columns; }
    int hopCount() const;
    // Hop i in reading order (column by column); nullptr when out of range.
    const FlowHop *hopAt(int index, QString *environment = nullptr) const;
    QRect hopRect(int index) const;
    int hopIndexAt(const QPoint &pos) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    int columnWidth() const;
    int boxHeight() const;

    QList<FlowColumn> m_columns;
};

} // namespace moltdesk
