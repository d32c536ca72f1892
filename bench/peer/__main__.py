import sys

from bench.peer.run import main

sys.exit(main())
