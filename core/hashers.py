"""The password hasher: Argon2id at OWASP's minimum cost (m = 19 MiB, t = 2,
p = 1), about a tenth of the CPU of the 1,000,000-iteration PBKDF2 it
replaces, so a class of a hundred can log in at once on two cores; memory-hard,
so a guesser's graphics card gains little over it. Hashes made by another
hasher of PASSWORD_HASHERS are upgraded when their owner next logs in."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's minimum parameters (Password Storage Cheat Sheet):
    19 MiB of memory, 2 passes, 1 lane. A hash with other parameters is
    rehashed at its next successful check (``must_update``)."""

    algorithm = "argon2"  # the stored prefix: Django's own hashes still verify
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
