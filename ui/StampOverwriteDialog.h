#pragma once

#include <QDialog>

class QCheckBox;
class QPushButton;

namespace moltdesk {

struct EnvironmentNames;
class ProductionConfirmation;

// Asked when stamping found a marker that cannot be read: it may be the evidence of how the bucket
// was wired, so it is replaced only when the operator ticks the box (the GUI's `stamp --force`), and
// for production only once its name is typed as well.
class StampOverwriteDialog : public QDialog
{
    Q_OBJECT
public:
    StampOverwriteDialog(const EnvironmentNames &env, const QString &problem, QWidget *parent = nullptr);
    // What was typed to confirm production (empty elsewhere): stampMarker checks it again.
    QString confirmation() const;

private:
    void updateOk();

    QCheckBox *m_overwrite;
    ProductionConfirmation *m_confirmation = nullptr; // production only
    QPushButton *m_ok;
};

} // namespace moltdesk
