/*
 * zxtest_main.c: the main() that -lzxtest supplies when the program has
 * none. It is alone in its object file so that a program's own main()
 * wins without a duplicate-symbol error.
 */
#include <zxtest/zxtest.h>

int main(void)
{
	return RUN_ALL_TESTS();
}
