// Compiles, but does not link: the definition is missing.
int helper();
int main() { return helper(); }
