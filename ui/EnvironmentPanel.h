#pragma once

#include "EnvironmentStatus.h"
#include "Session.h"

#include <QWidget>
#include <optional>

namespace moltdesk {

// What the window tells its panels: the open profile and the environment selected in the table.
struct EnvironmentSelection
{
    SessionPtr session; // null: no profile open
    int row = -1;       // the environment's row in the workspace; -1: nothing selected
    EnvironmentNames names;
    std::optional<EnvironmentStatus> status; // as collected so far (nullopt: not yet)
    bool updating = false;                   // a collection is running

    bool hasEnvironment() const { return session && row >= 0; }
};

// One detail tab (overview, contents, isolation, log). The window feeds each panel the selection
// whenever it or the selected row's status changes, as Dolphin's panels receive the window's URL; a
// panel decides what that means for it and does its storage work through the WorkspaceController.
class EnvironmentPanel : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;
    virtual void setEnvironment(const EnvironmentSelection &selection) = 0;
};

} // namespace moltdesk
