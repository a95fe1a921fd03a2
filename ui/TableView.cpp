#include "TableView.h"

#include "FocusFrame.h"

#include <QHeaderView>
#include <QTableView>

namespace moltdesk {

QTableView *makeTable(QWidget *parent, const QString &objectName, const QString &accessibleName)
{
    auto *t = new QTableView(parent);
    t->setObjectName(objectName);
    t->setAccessibleName(accessibleName);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setAlternatingRowColors(true);
    t->setWordWrap(false);
    t->verticalHeader()->setVisible(false);
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 8);
    t->horizontalHeader()->setHighlightSections(false);
    // Tab and Shift+Tab move to the next control, never from cell to cell: a keyboard user must be able
    // to leave a table. The arrows move within it.
    t->setTabKeyNavigation(false);
    markFocus(t);
    return t;
}

} // namespace moltdesk
