/* The demo's MPI job: every rank names its node, then a token goes once around the ring and an
 * allreduce checks that every rank took part. Exit status 0 only when both add up. */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	int rank, size, len, token = 0, sum = 0;
	char host[MPI_MAX_PROCESSOR_NAME];
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	MPI_Get_processor_name(host, &len);
	printf("MPI rank %d of %d on %s\n", rank, size, host);
	fflush(stdout);
	if (size > 1) {
		/* Each rank adds its number to the token on the way: rank 0 gets back the sum 0..size-1. */
		if (rank == 0) {
			MPI_Send(&token, 1, MPI_INT, 1, 0, MPI_COMM_WORLD);
			MPI_Recv(&token, 1, MPI_INT, size - 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		} else {
			MPI_Recv(&token, 1, MPI_INT, rank - 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			token += rank;
			MPI_Send(&token, 1, MPI_INT, (rank + 1) % size, 0, MPI_COMM_WORLD);
		}
	}
	int one = 1;
	MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
	int want = size * (size - 1) / 2;
	int ok = sum == size && (rank != 0 || token == want);
	if (rank == 0)
		printf("MPI ring: token %d (want %d), allreduce %d of %d ranks: %s\n", token, want, sum, size,
		       ok ? "OK" : "WRONG");
	MPI_Finalize();
	return ok ? 0 : 1;
}
