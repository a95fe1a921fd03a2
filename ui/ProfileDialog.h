#pragma once

#include "Profile.h"
#include "ProfileCheck.h"

#include <QDialog>
#include <QMap>
#include <QThreadPool>

class QButtonGroup;
class QCheckBox;
class QFormLayout;
class QVBoxLayout;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace moltdesk {

// Creates or edits a profile. The fields edit a Profile value (what the dialog does not show, such as
// the workers or the bucket names, is kept as it was), checked by checkProfile — the loader's own
// rules, so the window and the CLI never disagree on what is valid. Each problem names its field: the
// field is marked, the first problem is shown inline, and Save stays disabled while there are any.
// Saving (Profile::save, the one writer) and importing a wrangler.jsonc run on worker threads. No
// secret is ever asked for here: keys go to the keychain through Environment > Credentials…
class ProfileDialog : public QDialog
{
    Q_OBJECT
public:
    // New profile: `path` may be empty (chosen with Browse…). Edit: `existing` is the opened profile
    // and `path` its file.
    ProfileDialog(const QString &path, const Profile *existing, QWidget *parent = nullptr);

    bool isNewProfile() const { return m_isNew; }
    // The profile the fields describe, or the first problem (the message shown inline).
    Result<Profile> currentProfile() const;
    QString profilePath() const;
    // Reads `wranglerPath` in a worker and fills the environments from its env.<name>.vars.ENVIRONMENT;
    // importFinished follows (with an empty message on success). Errors are shown inline.
    void importWrangler(const QString &wranglerPath);
    // Saves in a worker; saved(path) or saveFailed(message) follows.
    void save();

Q_SIGNALS:
    void importFinished(const QString &error);
    void saved(const QString &path);
    void saveFailed(const QString &message);

private:
    void buildFileRows(QFormLayout *form);
    void buildEnvironmentRows(QFormLayout *form);
    void buildStorageRows(QFormLayout *form);
    QWidget *buildS3Page();
    QWidget *buildMountPage();
    void buildSyncSetRows(QFormLayout *form);
    void buildOtherRows(QFormLayout *form);
    void buildButtons(QVBoxLayout *layout);
    void connectFields();
    void addSyncSet();
    void removeSyncSet();

    void load(const Profile &p);
    void loadEndpoint(const Profile &p);
    // The profile the fields describe, with what the dialog does not show taken from m_base.
    Profile draftProfile() const;
    StorageConfig draftStorage() const;
    void draftSyncSets(Profile &p) const;
    // What only the form knows is wrong (which way the endpoint is given, a half-filled sync set).
    QList<ProfileProblem> formProblems() const;
    ProfileCheck check() const;
    void validate();
    void markProblems(const QList<ProfileProblem> &problems);
    QWidget *fieldWidget(ProfileField field) const;
    void updateStorageFields();
    void addSyncSetRow(const QString &local = {}, const QString &prefix = {});
    QList<QPair<QString, QString>> tableRows() const; // the table as (local, prefix), blank rows left out
    void setTableRows(const QList<QPair<QString, QString>> &rows);
    void showSyncScope();
    void refreshSyncScopes();
    void chooseWrangler();
    QString browseFile(const QString &title, const QString &filter);
    QString displayPath(const QString &absolute) const;
    QString baseDirectory() const;

    bool m_isNew;
    bool m_busy = false;
    QString m_fixedPath; // edit mode: the profile's file
    quint64 m_importGeneration = 0;
    Profile m_base; // the opened profile (or a new one's defaults)

    QLineEdit *m_path;
    QPushButton *m_browsePath;
    QPlainTextEdit *m_environments;
    QCheckBox *m_includeLegacy;
    QLineEdit *m_wrangler;
    QPushButton *m_importWrangler;
    QLabel *m_wranglerStatus;
    QComboBox *m_storageType;
    QStackedWidget *m_storagePages;
    QLineEdit *m_mountRoot;
    QRadioButton *m_useEndpoint;
    QRadioButton *m_useAccount;
    QRadioButton *m_useDerived;
    QButtonGroup *m_endpointGroup;
    QLineEdit *m_endpoint;
    QLineEdit *m_accountId;
    QLineEdit *m_region;
    QComboBox *m_syncScope;
    QTableWidget *m_syncSets;
    // Sync sets by scope: "" the default, else an environment's own; the table shows m_currentScope.
    QMap<QString, QList<QPair<QString, QString>>> m_scopeRows;
    QString m_currentScope;
    QPushButton *m_addSyncSet;
    QPushButton *m_removeSyncSet;
    QPlainTextEdit *m_excludes;
    QSpinBox *m_staleHours;
    QLineEdit *m_startScript;
    QLabel *m_error;
    QPushButton *m_save;
    QPushButton *m_cancel;
    // Saving and reading wrangler.jsonc happen here, not on Qt's global pool (see ARCHITECTURE.md,
    // Threads): a file on a hung network mount must not hold a thread the raster engine waits on.
    QThreadPool m_io;
};

} // namespace moltdesk
