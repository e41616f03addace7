#pragma once

#include <QAbstractButton>
#include <QApplication>
#include <QDialog>
#include <QTimer>

#include <functional>

namespace dbdeck::test {

// Answers the next modal dialog the way a user would: once a QDialog (a QMessageBox, the resume
// dialog) is shown among the top-level widgets, `look` sees it, then the button whose text
// (without its mnemonic &) is `button` is clicked. Set it up before the click that opens it.
inline void answerNextDialog(const QString &button, std::function<void(QDialog *)> look = {})
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, button, look] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            auto *dialog = qobject_cast<QDialog *>(w);
            if (!dialog || !dialog->isVisible())
                continue;
            for (QAbstractButton *b : dialog->findChildren<QAbstractButton *>()) {
                if (b->text().remove(QLatin1Char('&')) != button)
                    continue;
                timer->stop();
                timer->deleteLater();
                if (look)
                    look(dialog);
                b->click();
                return;
            }
        }
    });
    QTimer::singleShot(30000, timer, [timer] {
        timer->deleteLater(); // no dialog came: the test's own checks then fail
    });
    timer->start();
}

} // namespace dbdeck::test
