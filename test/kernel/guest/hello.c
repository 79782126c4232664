// A stand-in program for the exec cases: prints a line and succeeds.
#include <stdio.h>
int main(int argc, char **argv) { (void)argc; printf("hello from %s\n", argv[0]); return 0; }
