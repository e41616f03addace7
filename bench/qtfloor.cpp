// The smallest Qt program dbdeck-cli could be: a QCoreApplication that exits at once. Linked
// against Qt Core only, from Debian's packages. `dbdeck-bench startup` runs it beside dbdeck-cli
// so that the start-up figures show which part is Qt's own (its libraries are loaded and bound
// at start, BIND_NOW) and which part is dbdeck's.
#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    return 0;
}
