/*
 * Zed cluster converge: the coordination protocol as a Promela model (checked with spin).
 * What it models, what it leaves out and how to run it: docs/cluster-model.md.
 *
 * Parameters (spin -DNAME=value):
 *   N         hosts h0..h(N-1), in declared order                          (default 4)
 *   P         parallel: hosts per rolling batch                            (default 1)
 *   STRATEGY  1 one4one, 2 one4rest, 3 one4all                              (default 1)
 *   FALLBACK  1 ignore, 2 stop, 3 rollback                                  (default 1)
 *   MUTANT    0 the protocol; 1..6 a deliberately broken variant that the
 *             checker must reject (see the MUTANT blocks below)             (default 0)
 *   LATE_LOSS 1: a host may also be lost after it committed, before its
 *             report reaches the coordinator (outside the brief; see docs)  (default 0)
 *
 * One run explores, from one initial state, every choice of: no failure, or exactly one host
 * (any position) that fails its health check or is lost at any point of its transaction; and,
 * independently, a crash of the coordinator at any point of the run (or none), followed by a
 * failure-free re-run. Every interleaving of the hosts of a batch is explored.
 */

#ifndef N
#define N 4
#endif
#ifndef P
#define P 1
#endif
#ifndef STRATEGY
#define STRATEGY 1
#endif
#ifndef FALLBACK
#define FALLBACK 1
#endif
#ifndef MUTANT
#define MUTANT 0
#endif
#ifndef LATE_LOSS
#define LATE_LOSS 0
#endif

#define ONE4ONE  1
#define ONE4REST 2
#define ONE4ALL  3
#define IGNORE   1
#define STOP     2
#define ROLLBACK 3

/* versions: of the host's data (datasets, com.zed:version) and of the release that runs */
#define OLD 0
#define NEW 1
/* the host's journal (com.zed:txn on the pool's lock): open = the host's version is unknown */
#define J_NONE     0
#define J_DEPLOY   1
#define J_ROLLBACK 2
/* what the coordinator knows of a host in this run */
#define R_IDLE       0   /* not started */
#define R_RUNNING    1   /* its transaction is in flight */
#define R_OK         2   /* reported: finished on new */
#define R_FAILED     3   /* reported: failed (its transaction put it back on old) */
#define R_LOST       4   /* unreachable / connection cut: no report */
#define R_CANCELLED  5   /* cancelled by the coordinator (its transaction put it back on old) */
#define R_ROLLEDBACK 6   /* finished on new, then `zed rollback` by the one4all fallback */
/* the injected failure */
#define HEALTH 0
#define LOST   1

byte ver[N];           /* host state */
byte rel[N];
byte jr[N];
byte res[N];           /* coordinator's view */

byte runNo = 1;        /* 1: the run; 2: the re-run after a coordinator crash */
byte failHost = N;     /* N: no failure in this run */
byte failKind;
byte failedAt = N;     /* the host that reported a failure or was lost (N: none) */
bool reacted;          /* the coordinator has applied the fallback */
bool halted;           /* start no further host */
bool cancel;           /* in-flight hosts: cancel (their transaction rolls back) */
byte inflight;         /* hosts started and not yet reported */
bool crashed;          /* the coordinator died (at most once, in run 1) */
bool cdone;            /* the coordinator finished the run */

#define FAILING(h) (runNo == 1 && failHost == (h))

/* One atomic step of a process that dies with the coordinator: a host's transaction stops where
 * it is when the coordinator's connection goes (its journal stays open). */
#define STEP(s) \
  if \
  :: atomic { !crashed -> s } \
  :: crashed -> goto gone \
  fi

/* The coordinator notices that it lost the host (a cut connection, a timeout). */
#if MUTANT == 6
/* MUTANT 6: a cut connection goes unnoticed (no timeout): the coordinator waits for ever */
#define LOSE(h) skip
#else
#define LOSE(h) res[h] = R_LOST; failedAt = h; inflight--
#endif

/* Between two steps of a host's transaction: the coordinator may have crashed, may be cancelling
 * this host, or this host may be lost here (the single injected failure). */
#define POINT(h) \
  if \
  :: crashed -> goto gone \
  :: atomic { !crashed && cancel -> cancelled = true }; goto undo \
  :: atomic { !crashed && FAILING(h) && failKind == LOST -> LOSE(h) }; goto gone \
  :: !crashed && !cancel -> skip \
  fi

/* Recovery on the next touch: an open deploy journal is undone (old); an interrupted rollback
 * is completed (old). Either way the host ends on old with no journal. */
#define RECOVER(h) ver[h] = OLD; rel[h] = OLD; jr[h] = J_NONE

/* A host's deploy, as the coordinator drives it over SSH. */
proctype Deploy(byte h) {
  bool cancelled = false;
  byte k;
  /* the batch barrier: every host of an earlier batch has finished */
  d_step {
    k = 0;
    do
    :: k < (h / P) * P -> assert(res[k] != R_IDLE && res[k] != R_RUNNING); k++
    :: else -> break
    od
  }
  /* the touch: recover what an earlier, interrupted run left open */
  if
  :: jr[h] != J_NONE ->
#if MUTANT == 2
     /* MUTANT 2: the re-run trusts the recorded version and skips recovery */
     skip
#else
     STEP(RECOVER(h))
#endif
  :: else
  fi;
  /* the plan: nothing to do on a host that already runs new (no journal open) */
  if
  :: ver[h] == NEW && rel[h] == NEW -> STEP(res[h] = R_OK; inflight--); goto gone
  :: else
  fi;
  POINT(h);
  STEP(jr[h] = J_DEPLOY);     /* intent + before-deploy snapshot, before the first change */
  POINT(h);
  STEP(ver[h] = NEW);         /* the new release unpacked, datasets and properties changed */
  POINT(h);
  STEP(rel[h] = NEW);         /* switch: the new release starts */
  POINT(h);
  if                          /* the health check */
  :: FAILING(h) && failKind == HEALTH -> goto undo
  :: else
  fi;
  STEP(jr[h] = J_NONE);       /* committed */
#if LATE_LOSS
  if
  :: atomic { !crashed && FAILING(h) && failKind == LOST -> LOSE(h) }; goto gone
  :: true
  fi;
#endif
  STEP(res[h] = R_OK; inflight--);
  goto gone;
undo:                         /* the transaction's own undo plan */
#if MUTANT == 3
  /* MUTANT 3: a cancelled host is abandoned instead of rolled back */
  if
  :: cancelled -> STEP(res[h] = R_CANCELLED; inflight--); goto gone
  :: else
  fi;
#endif
  STEP(rel[h] = OLD);
  STEP(ver[h] = OLD);
  if
  :: cancelled -> STEP(jr[h] = J_NONE; res[h] = R_CANCELLED; inflight--)
  :: else -> STEP(jr[h] = J_NONE; res[h] = R_FAILED; failedAt = h; inflight--)
  fi;
gone:
  skip
}

/* The fallback, on the first failure of the run. */
#if MUTANT == 5
/* MUTANT 5: stop cancels the hosts in flight instead of letting them finish */
#define STOP_ACTION halted = true; cancel = true
#else
#define STOP_ACTION halted = true
#endif
#define REACT \
  reacted = true; \
  if \
  :: FALLBACK == STOP -> STOP_ACTION \
  :: FALLBACK == ROLLBACK && STRATEGY != ONE4ONE -> halted = true; cancel = true \
  :: else -> skip \
  fi

/* Wait until no host is in flight, applying the fallback as soon as a failure is reported. */
#define AWAIT_INFLIGHT \
  do \
  :: atomic { !crashed && failedAt != N && !reacted -> REACT } \
  :: atomic { !crashed && inflight == 0 && (failedAt == N || reacted) } -> break \
  :: crashed -> goto gone \
  od

proctype Coordinator() {
  byte b = 0;
  byte h;
  do
  :: atomic { !crashed && (b * P >= N || halted) } -> break
  :: atomic { !crashed && b * P < N && !halted } ->
     h = b * P;
     do
     :: h < N && h < (b + 1) * P ->
        STEP(res[h] = R_RUNNING; inflight++; run Deploy(h)); h++
     :: else -> break
     od;
#if MUTANT == 4
     /* MUTANT 4: no barrier: the next batch starts while this one is in flight */
     skip;
#else
     AWAIT_INFLIGHT;
#endif
     b++
  :: crashed -> goto gone
  od;
#if MUTANT == 4
  AWAIT_INFLIGHT;
#endif
  /* one4all + rollback: `zed rollback` every host that finished on new in this run */
  if
  :: FALLBACK == ROLLBACK && STRATEGY == ONE4ALL && reacted ->
#if MUTANT == 1
     /* MUTANT 1: one4all forgets the hosts that already finished */
     skip
#else
     h = 0;
     do
     :: h < N && res[h] == R_OK ->
        STEP(jr[h] = J_ROLLBACK);   /* the rollback's own journal */
        STEP(rel[h] = OLD);
        STEP(ver[h] = OLD);         /* back to the before-deploy snapshot */
        STEP(jr[h] = J_NONE; res[h] = R_ROLLEDBACK);
        h++
     :: h < N && res[h] != R_OK -> h++
     :: h == N -> break
     od
#endif
  :: else
  fi;
  STEP(cdone = true);
gone:
  skip
}

/* The coordinator may die once, at any point of the first run (not after it finished). */
proctype Crash() {
  if
  :: atomic { runNo == 1 && !cdone && !crashed -> crashed = true }
  :: skip
  fi
}

init {
  byte h;
  byte lo;
  select (failHost : 0 .. N);    /* N: no failure */
  select (failKind : HEALTH .. LOST);
  atomic { run Coordinator(); run Crash() }
  (_nr_pr == 1);                 /* the run is over: every process but init ended */

  if
  :: !crashed ->
     assert(cdone);
     /* at the end of the run: a host is unknown (open journal) only where the coordinator lost
      * it, and no host is mixed (its data and its running release disagree) */
     d_step {
       h = 0;
       do
       :: h < N ->
          assert(res[h] != R_RUNNING);
          assert(jr[h] == J_NONE || res[h] == R_LOST);
          assert(jr[h] != J_NONE || ver[h] == rel[h]);
          h++
       :: else -> break
       od
     }
     /* the next touch of a lost host recovers it */
     d_step {
       h = 0;
       do
       :: h < N -> if :: jr[h] != J_NONE -> RECOVER(h) :: else fi; h++
       :: else -> break
       od
     }
     /* the expected outcome */
     d_step {
       lo = (failedAt / P) * P;    /* first host of the failing host's batch */
       h = 0;
       do
       :: h < N ->
          assert(jr[h] == J_NONE && ver[h] == rel[h]);
          if
          :: failedAt == N -> assert(ver[h] == NEW)
          :: failedAt != N && h == failedAt -> assert(ver[h] == OLD)
          :: failedAt != N && h != failedAt ->
             if
             :: FALLBACK == IGNORE || (FALLBACK == ROLLBACK && STRATEGY == ONE4ONE) ->
                assert(ver[h] == NEW)
             :: FALLBACK == STOP ->
                /* earlier batches and the failing batch finish on new; later never start */
                assert((h < lo + P && ver[h] == NEW && res[h] == R_OK)
                    || (h >= lo + P && ver[h] == OLD && res[h] == R_IDLE))
             :: FALLBACK == ROLLBACK && STRATEGY == ONE4REST ->
                /* earlier batches finished on new; in the failing batch, a host that finished
                 * before the cancel reached it stays new, the others end old; later never start */
                assert((h < lo && ver[h] == NEW && res[h] == R_OK)
                    || (h >= lo && h < lo + P && (res[h] == R_OK -> ver[h] == NEW : ver[h] == OLD))
                    || (h >= lo + P && ver[h] == OLD && res[h] == R_IDLE))
             :: FALLBACK == ROLLBACK && STRATEGY == ONE4ALL ->
                assert(ver[h] == OLD)
             fi
          fi;
          h++
       :: else -> break
       od
     }
  :: crashed ->
     /* the re-run: recover what the crash left open, then deploy normally, without failures */
     d_step {
       runNo = 2; failHost = N; failedAt = N; reacted = false; halted = false; cancel = false;
       inflight = 0; cdone = false;
       crashed = false;  /* a new coordinator */
       h = 0;
       do
       :: h < N -> res[h] = R_IDLE; h++
       :: else -> break
       od
     }
     run Coordinator();
     (_nr_pr == 1);
     d_step {
       assert(cdone);
       h = 0;
       do
       :: h < N -> assert(jr[h] == J_NONE && ver[h] == NEW && rel[h] == NEW); h++
       :: else -> break
       od
     }
  fi
}
