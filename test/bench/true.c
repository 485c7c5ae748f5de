/* true.c: the program the benchmark spawns: it ends at once, returning 0. */
int main(void)
{
	return 0;
}
