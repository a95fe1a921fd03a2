#pragma once

#include <QDialog>
#include <QWidget>

class QDialogButtonBox;
class QLineEdit;

namespace moltdesk {

// The one guard for writing to production, in every dialog that does: "This is production. Type
// <name> to confirm:" and a field; confirmed only when the typed text is exactly the name.
class ProductionConfirmation : public QWidget
{
    Q_OBJECT
public:
    explicit ProductionConfirmation(const QString &environment, QWidget *parent = nullptr);

    bool isConfirmed() const;
    QString typed() const; // passed on to the job, which checks it again
    void focusField();
    void setLocked(bool locked); // read-only while the confirmed action runs

Q_SIGNALS:
    void confirmedChanged(bool confirmed);

private:
    QString m_environment;
    QLineEdit *m_edit;
};

// A question whose OK is enabled only once production's name is typed (stamping production).
class ProductionConfirmDialog : public QDialog
{
    Q_OBJECT
public:
    ProductionConfirmDialog(const QString &title, const QString &question, const QString &environment,
                            QWidget *parent = nullptr);
    ProductionConfirmation *confirmation() const { return m_confirmation; }

private:
    ProductionConfirmation *m_confirmation;
    QDialogButtonBox *m_buttons;
};

} // namespace moltdesk
