#pragma once

#include <QString>

class QTableView;
class QWidget;

namespace moltdesk {

// A read-only table as every table of the window is: whole rows selected one at a time, Tab leaving
// the table (arrows move within it), no row numbers, a focus frame.
QTableView *makeTable(QWidget *parent, const QString &objectName, const QString &accessibleName);

} // namespace moltdesk
