#pragma once

#include <QAbstractItemView>

namespace moltdesk {

// A focused list, table or tree gets a highlight-coloured frame: the native styles' dotted focus
// rectangle on one cell is easy to miss, so keyboard users lose track of where they are.
inline void markFocus(QAbstractItemView *view)
{
    view->setStyleSheet(QStringLiteral("%1:focus { border: 2px solid palette(highlight); }")
                            .arg(QString::fromLatin1(view->metaObject()->className())));
}

} // namespace moltdesk
