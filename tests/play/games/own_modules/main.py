"""Test game whose own modules share names with the capture shim's (window, keys, frames,
inputs, hooks, wire): it draws each module's colour in a 20×20 cell of a row, so a shim module
left in sys.modules (which has no COLOUR) crashes it or a wrong colour shows."""

import frames
import hooks
import inputs
import keys
import pygame
import window
import wire

MODULES = (window, keys, frames, inputs, hooks, wire)


def main():
    pygame.init()
    screen = pygame.display.set_mode((120, 20))
    clock = pygame.time.Clock()
    running = True
    while running:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                running = False
        for i, module in enumerate(MODULES):
            screen.fill(module.COLOUR, pygame.Rect(i * 20, 0, 20, 20))
        pygame.display.flip()
        clock.tick(30)
    pygame.quit()


if __name__ == "__main__":
    main()
