#ifndef SPIN_GATE_VERSION_H
#define SPIN_GATE_VERSION_H
/* The one place the version is written; the User-Agent and --version use it. */
#define SPIN_GATE_VERSION "0.1.0"
#endif
