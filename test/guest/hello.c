/* The smallest zirv program: one line through picolibc's printf, then an
 * exit status that QEMU passes on (run_guest.py checks both). */
#include <stdio.h>

int main(void)
{
	printf("hello from zirv\n");
	return 7;
}
